/** Reads the config file and environment once, validating both, naming every bad field. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { authConfigSchema, authModeFromEnv } from '../auth/config.ts';
import { evaluationsConfigSchema } from '../evaluations/config.ts';
import { fieldPath } from '../transport/validation.ts';

const PROVIDERS = ['demo', 'openai', 'anthropic', 'gemini'] as const;

const idPattern = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;

export const modelConfigSchema = z.strictObject({
  id: z.string().regex(idPattern, 'must be 1-64 letters, digits or . _ : / - and start with a letter or digit'),
  name: z.string().min(1).max(120),
  provider: z.enum(PROVIDERS),
  /** For `openai` includes /v1; for `anthropic` and `gemini` the origin. Vendor default when omitted. */
  baseUrl: z.url().optional(),
  /** Model name upstream; for `demo`, which built-in model (a default otherwise). */
  model: z.string().min(1).max(200).optional(),
  /** Name of the environment variable holding the API key. The key itself never goes in this file. */
  apiKeyEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name').optional(),
  systemPrompt: z.string().max(20_000).optional(),
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.number().int().positive().max(1_000_000).optional(),
  /** Extra request body fields merged into every upstream request (e.g. `top_p`, `reasoning_effort`). */
  extra: z.record(z.string(), z.unknown()).optional(),
  /** Total time allowed for one answer, milliseconds. */
  timeoutMs: z.number().int().positive().optional(),
  /** Time allowed until the first token, milliseconds. */
  firstTokenTimeoutMs: z.number().int().positive().optional(),
  enabled: z.boolean().default(true),
  /** Relative sampling weight when pairs are drawn. */
  weight: z.number().positive().max(1000).default(1),
  pricing: z
    .strictObject({
      inputPerMillion: z.number().min(0),
      outputPerMillion: z.number().min(0),
    })
    .optional(),
  organization: z.string().max(120).optional(),
  license: z.string().max(120).optional(),
  /** `demo` only: streaming pace; 0 streams as fast as possible (tests, benchmarks). */
  tokensPerSecond: z.number().min(0).max(100_000).optional(),
  /** `demo` only: fail with an upstream error after this many tokens (to try failure handling). */
  failAfterTokens: z.number().int().min(0).optional(),
});

export type ModelConfig = z.infer<typeof modelConfigSchema>;
export type ModelConfigInput = z.input<typeof modelConfigSchema>;

const fileSchema = z.strictObject({
  models: z
    .array(modelConfigSchema)
    .optional()
    .superRefine((models, ctx) => {
      const seen = new Set<string>();
      models?.forEach((m, i) => {
        if (seen.has(m.id)) ctx.addIssue({ code: 'custom', message: `duplicate model id "${m.id}"`, path: [i, 'id'] });
        seen.add(m.id);
      });
    }),
  elo: z.strictObject({ k: z.number().positive().max(64).default(4) }).prefault({}),
  /** Abuse and cost limits; all off under ARENA_LOAD_TEST. */
  limits: z
    .strictObject({
      battlesPerMinute: z.number().positive().default(6),
      battlesBurst: z.number().int().positive().default(10),
      battlesPerMinutePerIp: z.number().positive().default(30),
      turnsPerMinute: z.number().positive().default(12),
      turnsBurst: z.number().int().positive().default(20),
      maxPromptChars: z.number().int().positive().max(20_000).default(8_000),
      maxTurns: z.number().int().positive().max(100).default(10),
      maxConcurrentBattles: z.number().int().positive().default(3),
      /** Minutes a finished battle waits for its vote; then it is abandoned and can no longer be voted on. */
      voteWindowMinutes: z.number().positive().max(7 * 24 * 60).default(60),
      votesPerDay: z.number().int().positive().default(1_000),
      votesPerDayPerIp: z.number().int().positive().default(3_000),
    })
    .prefault({}),
  /** Vote integrity rules; see server/integrity/rules.ts. */
  integrity: z
    .strictObject({
      /** Replaces the default vendor/model keyword list (model names and ids are always added). */
      identityKeywords: z.array(z.string().min(2).max(100)).max(1000).optional(),
      extraIdentityKeywords: z.array(z.string().min(2).max(100)).max(1000).default([]),
      readingSecondsPer1kChars: z.number().min(0).max(600).default(2),
      minReadingSeconds: z.number().min(0).max(600).default(1),
    })
    .prefault({}),
  /** Model auto-discovery at start: a local Ollama and these OpenAI-compatible servers (`…/v1`). */
  discovery: z
    .strictObject({
      enabled: z.boolean().default(true),
      ollama: z.boolean().default(true),
      servers: z.array(z.url()).max(50).default([]),
    })
    .prefault({}),
  /**
   * Where the arena is served, e.g. `["https://arena.example.com"]`. Requests are answered only for
   * loopback names, IP addresses and these origins' hosts (DNS rebinding); also ARENA_PUBLIC_ORIGINS.
   */
  publicOrigins: z.array(z.url()).max(20).default([]),
  /** Coalescing window for `leaderboard:update` broadcasts, milliseconds. */
  leaderboardIntervalMs: z.number().int().min(0).max(60_000).default(250),
  /** Accounts, sessions, trusted proxy; see server/auth/config.ts. */
  auth: authConfigSchema.prefault({}),
  /** Team evaluations; see server/evaluations/config.ts. */
  evaluations: evaluationsConfigSchema.prefault({}),
});

export type FileConfig = z.infer<typeof fileSchema>;

export interface AppConfig extends FileConfig {
  port: number;
  host: string;
  databasePath: string;
  configPath: string | null;
  /** True when no model came from a config file and the built-in demo models are served. */
  usingDemoModels: boolean;
  /** ARENA_LOAD_TEST=1: rate limits, vote caps and the reading-time rule are off (and nothing else). */
  loadTest: boolean;
  /** ARENA_SYNC=full: fsync every commit (survives power loss) instead of WAL's NORMAL. */
  synchronous: 'normal' | 'full';
}

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
  const list = (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);
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
    auth: { ...file.auth, mode: authModeOrFail(env.ARENA_AUTH_MODE, file.auth.mode) },
    publicOrigins: [...file.publicOrigins, ...originsFromEnv(env.ARENA_PUBLIC_ORIGINS)],
  };
}
