import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: ['./db/schema.ts', './db/schema-accounts.ts', './db/schema-evaluations.ts', './db/schema-snapshots.ts', './db/schema-chat.ts'],
  out: './db/migrations',
  dbCredentials: { url: process.env.DATABASE_PATH ?? './data/arena.db' },
});
