#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx, so there is no build step for the command line.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../server/cli/main.ts');
// exitCode (not process.exit) so buffered output to a pipe is flushed before the process ends.
process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
