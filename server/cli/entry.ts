/** The `arena` command as a program: the process's arguments and streams in, its exit code out. */
import { runCli } from './main.ts';

// exitCode (not process.exit) so buffered output to a pipe is flushed before the process ends.
process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
