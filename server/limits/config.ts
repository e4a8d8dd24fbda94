/** The `limits` section of arena.config.json: abuse and cost limits (all off under ARENA_LOAD_TEST). */
import { z } from 'zod';

export const limitsConfigSchema = z
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
    voteWindowMinutes: z
      .number()
      .positive()
      .max(7 * 24 * 60)
      .default(60),
    votesPerDay: z.number().int().positive().default(1_000),
    votesPerDayPerIp: z.number().int().positive().default(3_000),
  })
  .prefault({});

export type LimitsConfig = z.infer<typeof limitsConfigSchema>;
