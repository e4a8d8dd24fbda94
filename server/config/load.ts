/** Reads the config file and environment once, validating both, naming every bad field. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { authModeFromEnv } from '../auth/config.ts';
import { fieldPath } from '../transport/validation.ts';
import { type AppConfig, type FileConfig, fileSchema } from './schema.ts';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Formats zod issues as `where: models[0].provider: message` lines. */
export function formatIssues(where: string, issues: z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const field = fieldPath(issue.path);
      return `${where}: ${field || '(root)'}: ${issue.message}`;
    })
    .join('\n');
}

export function parseFileConfig(raw: unknown, where = 'config'): FileConfig {
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(formatIssues(where, parsed.error.issues));
  return parsed.data;
}

/** Within docker-compose's stop_grace_period (40 s) with the 10 s main.ts allows after it. */
export const DEFAULT_DRAIN_SECONDS = 20;

function envInt(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`environment: ${name}: must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

function authModeOrFail(raw: string | undefined, fallback: FileConfig['auth']['mode']): FileConfig['auth']['mode'] {
  try {
    return authModeFromEnv(raw, fallback);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
}

function originsFromEnv(raw: string | undefined): string[] {
  const list = (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const parsed = z.array(z.url()).safeParse(list);
  if (!parsed.success) throw new ConfigError(`environment: ARENA_PUBLIC_ORIGINS: must be comma-separated URLs such as https://arena.example.com, got "${raw}"`);
  return parsed.data;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): AppConfig {
  const explicit = env.ARENA_CONFIG;
  const configPath = path.resolve(cwd, explicit || 'arena.config.json');
  let file: FileConfig;
  let usedPath: string | null = null;
  if (existsSync(configPath)) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(configPath, 'utf8'));
    } catch (err) {
      throw new ConfigError(`${configPath}: not valid JSON: ${(err as Error).message}`);
    }
    file = parseFileConfig(raw, configPath);
    usedPath = configPath;
  } else if (explicit) {
    throw new ConfigError(`environment: ARENA_CONFIG: file not found: ${configPath}`);
  } else {
    file = parseFileConfig({});
  }
  const usingDemoModels = !file.models || file.models.length === 0;
  return {
    ...file,
    port: envInt(env, 'PORT', 3000, 0, 65_535),
    host: env.HOST || '127.0.0.1',
    databasePath: path.resolve(cwd, env.DATABASE_PATH || './data/arena.db'),
    configPath: usedPath,
    usingDemoModels,
    loadTest: env.ARENA_LOAD_TEST === '1' || env.ARENA_LOAD_TEST === 'true',
    synchronous: env.ARENA_SYNC === 'full' ? 'full' : 'normal',
    redisUrl: redisUrlOrFail(env.REDIS_URL),
    instanceId: instanceIdFrom(env),
    drainSeconds: envInt(env, 'ARENA_DRAIN_SECONDS', DEFAULT_DRAIN_SECONDS, 0, 600),
    auth: { ...file.auth, mode: authModeOrFail(env.ARENA_AUTH_MODE, file.auth.mode) },
    publicOrigins: [...file.publicOrigins, ...originsFromEnv(env.ARENA_PUBLIC_ORIGINS)],
  };
}

function redisUrlOrFail(value: string | undefined): string | null {
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError('environment: REDIS_URL: not a URL (expected redis://host:6379 or rediss://…)');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:')
    throw new ConfigError(`environment: REDIS_URL: expected redis:// or rediss://, got ${url.protocol}//`);
  return value;
}

function instanceIdFrom(env: NodeJS.ProcessEnv): string {
  // Not the host name: the health check tells which instance answered, to anyone.
  return env.ARENA_INSTANCE_ID || `arena-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}
