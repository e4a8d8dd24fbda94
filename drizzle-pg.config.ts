import { defineConfig } from 'drizzle-kit';

/** The PostgreSQL twin of drizzle.config.ts: `npx drizzle-kit generate --config drizzle-pg.config.ts`. */
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./db/pg/schema.ts', './db/pg/schema-accounts.ts', './db/pg/schema-evaluations.ts', './db/pg/schema-snapshots.ts', './db/pg/schema-chat.ts'],
  out: './db/migrations-pg',
  dbCredentials: { url: process.env.DATABASE_URL ?? 'postgres://localhost/arena' },
});
