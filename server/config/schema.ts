/**
 * arena.config.json as one schema, composed of the sections each feature owns (models, limits,
 * integrity, auth, evaluations, standings): a feature never imports the app's config, only its own section.
 */
import { z } from 'zod';
import { matchmakingConfigSchema } from '../arena/config.ts';
import { authConfigSchema } from '../auth/config.ts';
import { evaluationsConfigSchema } from '../evaluations/config.ts';
import { integrityConfigSchema } from '../integrity/config.ts';
import { limitsConfigSchema } from '../limits/config.ts';
import { discoveryConfigSchema, modelListSchema } from '../models/config.ts';
import { standingsConfigSchema } from '../standings/config.ts';

export const fileSchema = z.strictObject({
  models: modelListSchema,
  elo: z.strictObject({ k: z.number().positive().max(64).default(4) }).prefault({}),
  limits: limitsConfigSchema,
  integrity: integrityConfigSchema,
  discovery: discoveryConfigSchema,
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
  /** Category views, provisional models, intervals, prompt deduplication; see server/standings/config.ts. */
  standings: standingsConfigSchema,
  /** Which pair of models the next battle gets; see server/arena/config.ts. */
  matchmaking: matchmakingConfigSchema,
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
  /** REDIS_URL: the Redis that connects the instances of one deployment; null runs this instance alone. */
  redisUrl: string | null;
  /** This instance's name among its peers (ARENA_INSTANCE_ID, else pid and a random tail). */
  instanceId: string;
  /**
   * ARENA_DRAIN_SECONDS (default 20): on SIGTERM, how long running answers may go on streaming
   * before they are cut and stored as interrupted. The process exits at most 10 s after that.
   */
  drainSeconds: number;
}
