/** The `integrity` section of arena.config.json; see rules.ts. */
import { z } from 'zod';

export const integrityConfigSchema = z
  .strictObject({
    /** Replaces the default vendor/model keyword list (model names and ids are always added). */
    identityKeywords: z.array(z.string().min(2).max(100)).max(1000).optional(),
    extraIdentityKeywords: z.array(z.string().min(2).max(100)).max(1000).default([]),
    readingSecondsPer1kChars: z.number().min(0).max(600).default(2),
    minReadingSeconds: z.number().min(0).max(600).default(1),
  })
  .prefault({});

export type IntegrityConfig = z.infer<typeof integrityConfigSchema>;
