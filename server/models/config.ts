/**
 * The `models` and `discovery` sections of arena.config.json (and of admin edits in the registry):
 * owned here, composed into the app's config by server/config.
 */
import { z } from 'zod';
import { PROVIDER_NAMES } from '../providers/types.ts';

const idPattern = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;

export const modelConfigSchema = z.strictObject({
  id: z.string().regex(idPattern, 'must be 1-64 letters, digits or . _ : / - and start with a letter or digit'),
  name: z.string().min(1).max(120),
  provider: z.enum(PROVIDER_NAMES),
  /** For `openai` includes /v1; for `anthropic` and `gemini` the origin. Vendor default when omitted. */
  baseUrl: z.url().optional(),
  /** Model name upstream; for `demo`, which built-in model (a default otherwise). */
  model: z.string().min(1).max(200).optional(),
  /** Name of the environment variable holding the API key. The key itself never goes in this file. */
  apiKeyEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')
    .optional(),
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

/** Model auto-discovery at start: a local Ollama and these OpenAI-compatible servers (`…/v1`). */
export const discoveryConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    ollama: z.boolean().default(true),
    servers: z.array(z.url()).max(50).default([]),
  })
  .prefault({});

export type DiscoveryConfig = z.infer<typeof discoveryConfigSchema>;

export const modelListSchema = z
  .array(modelConfigSchema)
  .optional()
  .superRefine((models, ctx) => {
    const seen = new Set<string>();
    models?.forEach((m, i) => {
      if (seen.has(m.id)) ctx.addIssue({ code: 'custom', message: `duplicate model id "${m.id}"`, path: [i, 'id'] });
      seen.add(m.id);
    });
  });
