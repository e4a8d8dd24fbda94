/**
 * Layer rules for `npm run check` (see docs/ARCHITECTURE.md). Folder-level cycles and file sizes are
 * checked by scripts/check-architecture.ts, which runs dependency-cruiser with this configuration.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-module-cycles',
      severity: 'error',
      comment: 'A file must not reach itself through its imports (type-only imports count).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'protocol-is-self-contained',
      severity: 'error',
      comment: 'protocol/ is the contract both sides import: it imports nothing of the project.',
      from: { path: '^protocol/' },
      to: { path: '^(server|client|db|tests|bench|scripts)/' },
    },
    {
      name: 'client-imports-only-protocol',
      severity: 'error',
      comment: 'The browser bundle shares only the contract with the server.',
      from: { path: '^client/' },
      to: { path: '^(server|db|tests|bench|scripts)/' },
    },
    {
      name: 'ratings-are-pure',
      severity: 'error',
      comment: 'server/ratings/ is rating math: no I/O, no database, no feature folder, nothing but itself.',
      from: { path: '^server/ratings/' },
      to: { pathNot: '^server/ratings/' },
    },
    {
      name: 'providers-know-no-features',
      severity: 'error',
      comment: 'server/providers/ translate wire formats; they know neither the database nor any feature.',
      from: { path: '^server/providers/' },
      to: { path: '^(db/|server/)', pathNot: '^server/providers/' },
    },
    {
      name: 'db-knows-no-server',
      severity: 'error',
      comment: 'db/ (schema, client, migrations) imports no server code.',
      from: { path: '^db/' },
      to: { path: '^(server|client|tests|bench|scripts)/' },
    },
    {
      name: 'only-db-knows-the-driver',
      severity: 'error',
      comment: 'better-sqlite3 is known to db/ alone; everyone else uses its Db and Tx types.',
      from: { pathNot: '^(db/|tests/|bench/|scripts/)' },
      to: { path: 'node_modules/(@types/)?better-sqlite3/' },
    },
    {
      name: 'only-db-knows-postgres',
      severity: 'error',
      comment: 'pg (node-postgres) and pg-copy-streams are known to db/ alone, like better-sqlite3 (db/pg/).',
      from: { pathNot: '^(db/|tests/|bench/|scripts/)' },
      to: { path: 'node_modules/(@types/)?(pg|pg-copy-streams)/' },
    },
    {
      name: 'production-code-imports-no-tests',
      severity: 'error',
      from: { path: '^(server|client|db|protocol)/' },
      to: { path: '^(tests|bench|scripts)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^dist/' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.svelte'] },
  },
};
