/** What every command does with its arguments and config: parse or explain, load or explain. */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config/load.ts';
import type { AppConfig } from '../config/schema.ts';
import type { CliIo } from './io.ts';

/** The parsed arguments, or null after writing the problem and the usage (the command then exits 2). */
export function parseCommandArgs<T extends Omit<ParseArgsConfig, 'args'>>(command: string, usage: string, argv: string[], io: CliIo, config: T) {
  try {
    return parseArgs({ ...config, args: argv });
  } catch (err) {
    io.stderr.write(`arena ${command}: ${(err as Error).message}\n\n${usage}`);
    return null;
  }
}

/** The app's config, or null after writing what is wrong with it (the command then exits 1). */
export function loadCommandConfig(command: string, io: CliIo, env: NodeJS.ProcessEnv, cwd: string): AppConfig | null {
  try {
    return loadConfig(env, cwd);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.stderr.write(`arena ${command}: ${err.message}\n`);
    return null;
  }
}
