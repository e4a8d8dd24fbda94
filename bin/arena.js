#!/usr/bin/env node
// The compiled CLI when the production build exists (`npm run build`), else the TypeScript source through tsx.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/server/cli.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../server/cli/entry.ts');
}
