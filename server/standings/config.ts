/** The `standings` section of arena.config.json: owned here, composed into the app's config by server/config. */
import { z } from 'zod';
import { INTERVAL_METHODS, type IntervalMethod } from '../../protocol/types.ts';

/**
 * How intervals are computed (docs/RATINGS.md): `method` bootstrap, sandwich or fisher (model-based);
 * `clustered` clusters sandwich intervals by voter; `priorSd` is the small-sample prior N(1000, sd²)
 * of the model-based methods (null: none). The bootstrap never uses a prior.
 */
export const intervalsConfigSchema = (method: IntervalMethod) =>
  z
    .strictObject({
      method: z.enum(INTERVAL_METHODS).default(method),
      clustered: z.boolean().default(false),
      priorSd: z.number().min(50).max(10_000).nullable().default(400),
    })
    .prefault({});

export type IntervalsConfig = z.infer<ReturnType<typeof intervalsConfigSchema>>;

export const standingsConfigSchema = z
  .strictObject({
    /** Models with fewer votes than this in a view are listed apart as provisional (a view may ask for another threshold). */
    minVotes: z.number().int().min(0).max(1_000_000).default(20),
    /** A vote is filed under `long` when its prompts (all turns) have more tokens than this (GPT tokenizer, o200k). */
    longPromptTokens: z.number().int().min(1).max(10_000_000).default(1000),
    /** The Bradley-Terry standings' intervals (a view may ask for another method with `ci`). */
    intervals: intervalsConfigSchema('bootstrap'),
    /**
     * Prompts above the (1 − topShare) quantile of the per-prompt vote counts count as that many
     * votes in the Bradley-Terry fits (FastChat's 99.99th percentile by default); 0 switches it off.
     */
    promptDedup: z.strictObject({ topShare: z.number().min(0).max(0.5).default(0.0001) }).prefault({}),
  })
  .prefault({});

export type StandingsConfig = z.infer<typeof standingsConfigSchema>;
