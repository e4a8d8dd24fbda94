/** The `evaluations` section of arena.config.json (imported by server/config.ts). */
import { z } from 'zod';
import { intervalsConfigSchema } from '../standings/config.ts';

export const evaluationsConfigSchema = z.strictObject({
  /** Answers generated at the same time, over all running evaluations. */
  generationConcurrency: z.number().int().min(1).max(64).default(4),
  /** Retries of a failed answer before it is shown as failed. */
  generationRetries: z.number().int().min(0).max(10).default(2),
  /** First retry delay; doubles with each further retry. */
  retryDelayMs: z.number().int().min(0).max(600_000).default(2_000),
  /** How long an item handed to a voter is held for them before others may take it. */
  leaseMinutes: z
    .number()
    .positive()
    .max(24 * 60)
    .default(10),
  /** Bootstrap rounds for the confidence intervals of evaluation leaderboards (when `intervals.method` is `bootstrap`). */
  bootstrapRounds: z.number().int().min(0).max(2_000).default(200),
  /**
   * The results' intervals. By default model-based with the weak prior: finite and honest at a few
   * dozen votes, where a bootstrap of a model that never lost runs off to thousands of points.
   */
  intervals: intervalsConfigSchema('fisher'),
  /** Judge calls made at the same time, over all evaluations. */
  judgeConcurrency: z.number().int().min(1).max(64).default(4),
  /** Retries of a judge call whose service failed, before it is recorded as failed (delays as `retryDelayMs`). */
  judgeRetries: z.number().int().min(0).max(10).default(2),
  /** Retries of a judge call whose verdict could not be parsed, before it is recorded as unparsed. */
  judgeParseRetries: z.number().int().min(0).max(5).default(1),
  /** Default spend cap of a judge run, in US dollars (a request may set its own). */
  judgeSpendCapUsd: z.number().positive().max(100_000).default(10),
  /** Output tokens assumed per judge call in the cost estimate, for models without max tokens. */
  judgeOutputTokens: z.number().int().positive().max(100_000).default(1_000),
});

export type EvaluationsConfig = z.infer<typeof evaluationsConfigSchema>;
