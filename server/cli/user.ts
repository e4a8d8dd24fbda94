/** `arena user add|list|passwd`: accounts from the command line, on the server's own database (DATABASE_PATH). */

import { z } from 'zod';
import { openDb } from '../../db/client.ts';
import { passwordSchema, ROLE_NAMES, type RoleName } from '../../protocol/auth.ts';
import { CLI_ACTOR } from '../auth/audit.ts';
import { AuditRepo } from '../auth/audit-repo.ts';
import { AccountsRepo } from '../auth/repo.ts';
import { AuthService } from '../auth/service.ts';
import { AppError } from '../transport/errors.ts';
import { announceToInstances } from './announce.ts';
import { loadCommandConfig, parseCommandArgs } from './args.ts';
import type { CliIo } from './io.ts';

export const USER_USAGE = `Usage:
  arena user add --email EMAIL --role admin|member|viewer [--password PASSWORD]
  arena user passwd --email EMAIL [--password PASSWORD]
  arena user list

Works on the database the server uses (DATABASE_PATH, default ./data/arena.db); the server may be
running. Without --password the password is asked for (not echoed). Create the first admin with
  npx arena user add --email you@example.com --role admin
`;

export interface UserCliIo extends CliIo {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Asks for a password without echoing it; defaults to the terminal (or one line of piped stdin). */
  readPassword?: (prompt: string) => Promise<string>;
}

const emailSchema = z.email().transform((s) => s.toLowerCase());

export async function runUserCli(argv: string[], io: UserCliIo): Promise<number> {
  const parsed = parseCommandArgs('user', USER_USAGE, argv, io, {
    allowPositionals: true,
    strict: true,
    options: { email: { type: 'string' }, role: { type: 'string' }, password: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (!parsed) return 2;
  const { values, positionals } = parsed;
  const [action] = positionals;
  if (values.help || action === undefined) {
    (values.help ? io.stdout : io.stderr).write(USER_USAGE);
    return values.help ? 0 : 2;
  }
  if (!['add', 'list', 'passwd'].includes(action) || positionals.length > 1) {
    io.stderr.write(`arena user: unknown action "${positionals.join(' ')}"\n\n${USER_USAGE}`);
    return 2;
  }
  const config = loadCommandConfig('user', io, io.env ?? process.env, io.cwd ?? process.cwd());
  if (!config) return 1;
  const db = openDb(config.databasePath, { synchronous: config.synchronous });
  try {
    const auth = new AuthService({ store: new AccountsRepo(db), audit: new AuditRepo(db), config: config.auth });
    if (action === 'list') {
      for (const u of await auth.listUsers()) io.stdout.write(`${u.id}\t${u.email}\t${u.role}${u.disabled ? '\tdisabled' : ''}\n`);
      return 0;
    }
    const email = emailSchema.safeParse(values.email ?? '');
    if (!email.success) return usageError(io, '--email EMAIL is required (an email address)');
    let role: RoleName | null = null;
    if (action === 'add') {
      if (!(ROLE_NAMES as readonly string[]).includes(values.role ?? '')) return usageError(io, `--role must be one of ${ROLE_NAMES.join(', ')}`);
      role = values.role as RoleName;
    }
    const password = values.password ?? (await askPassword(io));
    const strong = passwordSchema.safeParse(password);
    if (!strong.success) return usageError(io, `password ${strong.error.issues[0]?.message ?? 'is invalid'}`);
    if (role) {
      const user = await auth.addUser(email.data, role, password, CLI_ACTOR);
      io.stdout.write(`created ${user.role} ${user.email} (id ${user.id}) in ${config.databasePath}\n`);
    } else {
      await auth.setPassword(email.data, password, CLI_ACTOR);
      io.stdout.write(`password changed for ${email.data}; their sessions were signed out\n`);
    }
    await announceToInstances('user', config.redisUrl, io);
    return 0;
  } catch (err) {
    if (err instanceof AppError) {
      io.stderr.write(`arena user: ${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    db.$client.close();
  }
}

function usageError(io: CliIo, message: string): number {
  io.stderr.write(`arena user: ${message}\n`);
  return 2;
}

async function askPassword(io: UserCliIo): Promise<string> {
  const read = io.readPassword ?? readHiddenLine;
  const first = await read('Password: ');
  if (io.readPassword || process.stdin.isTTY) {
    const again = await read('Repeat password: ');
    if (again !== first) throw new AppError('invalid_input', 'the passwords do not match');
  }
  return first;
}

/** Reads one line from the terminal with echo off (raw mode), or one line of piped input. */
function readHiddenLine(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let text = '';
    const raw = stdin.isTTY === true;
    if (raw) stdin.setRawMode(true);
    stdin.setEncoding('utf8');
    stdin.resume();
    const finish = (err: Error | null) => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      if (raw) stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(text);
    };
    const onEnd = () => finish(null);
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish(null);
        if (ch === '\u0003') return finish(new AppError('invalid_input', 'cancelled'));
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else text += ch;
      }
    };
    stdin.on('data', onData);
    stdin.on('end', onEnd);
  });
}
