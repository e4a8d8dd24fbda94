/** The `standings` section of arena.config.json: owned here, composed into the app's config by server/config. */
import { z } from 'zod';

export const standingsConfigSchema = z
  .strictObject({
    /** Models with fewer votes than this in a view are listed apart as provisional (a view may ask for another threshold). */
    minVotes: z.number().int().min(0).max(1_000_000).default(20),
    /** A vote is filed under `long` when its prompts (all turns) have more tokens than this (GPT tokenizer, o200k). */
    longPromptTokens: z.number().int().min(1).max(10_000_000).default(1000),
  })
  .prefault({});

export type StandingsConfig = z.infer<typeof standingsConfigSchema>;
