/**
 * Contract for the admin model registry: its entries as written and as shown, discovery, and what
 * a model's test may show a browser. Only figures and our own words: never a key, never the
 * upstream's response text beyond a short, redacted sample of the model's answer.
 */
import { z } from 'zod';
import type { ModelSpeed } from './types.ts';

/**
 * Query of POST /api/admin/models and PATCH /api/admin/models/:id. Switching a model on runs its
 * test first and refuses a failing one; `force=1` switches it on anyway (without testing again).
 */
export const modelWriteQuerySchema = z.strictObject({ force: z.enum(['0', '1']).optional() });
export type ModelWriteQuery = z.infer<typeof modelWriteQuerySchema>;

/** The providers' error kinds; the last three mean the arena cut the request short, not the model. */
export const MODEL_CHECK_ERROR_KINDS = ['connect', 'http', 'rate_limited', 'timeout', 'protocol', 'upstream', 'aborted', 'stopped', 'interrupted'] as const;
export type ModelCheckErrorKind = (typeof MODEL_CHECK_ERROR_KINDS)[number];

/** Characters of the answer a check returns (before a trailing "…"). */
export const MODEL_CHECK_SAMPLE_CHARS = 120;

export interface ModelCheckResult {
  ok: boolean;
  /** HTTP status of the upstream's answer; null when none came (demo model, connection failed). */
  status: number | null;
  ttftMs: number | null;
  totalMs: number;
  outputTokens: number;
  /** The start of the answer (Markdown), every configured key taken out. */
  sample: string;
  /** What went wrong, in our words (e.g. "HTTP 404 from upstream"); no response body text. */
  error: { kind: ModelCheckErrorKind; message: string } | null;
}

export const MODEL_PROVIDERS = ['demo', 'openai', 'anthropic', 'gemini'] as const;
export type ModelProvider = (typeof MODEL_PROVIDERS)[number];

/** A registry entry as written (arena.config.json, or the body of POST /api/admin/models); see docs/MODELS.md. */
export interface ModelConfigInput {
  id: string;
  name: string;
  provider: ModelProvider;
  /** For `openai` includes /v1; for `anthropic` and `gemini` the origin. Vendor default when omitted. */
  baseUrl?: string;
  /** Model name upstream; for `demo`, which built-in model (a default otherwise). */
  model?: string;
  /** Name of the environment variable holding the API key. The key itself is never sent or stored here. */
  apiKeyEnv?: string;
  systemPrompt?: string;
  temperature?: number;
  maxTokens?: number;
  /** Extra request body fields merged into every upstream request (e.g. `top_p`, `reasoning_effort`). */
  extra?: Record<string, unknown>;
  /** Total time allowed for one answer, milliseconds. */
  timeoutMs?: number;
  /** Time allowed until the first token, milliseconds. */
  firstTokenTimeoutMs?: number;
  /** Default true. */
  enabled?: boolean;
  /** Relative sampling weight when pairs are drawn; default 1. */
  weight?: number;
  pricing?: { inputPerMillion: number; outputPerMillion: number };
  organization?: string;
  license?: string;
  /** `demo` only: streaming pace; 0 streams as fast as possible. */
  tokensPerSecond?: number;
  /** `demo` only: fail with an upstream error after this many tokens. */
  failAfterTokens?: number;
}

/** The body of PATCH /api/admin/models/:id: only the fields sent change. */
export type ModelPatchInput = Partial<Omit<ModelConfigInput, 'id'>>;

/** A registry entry with its defaults filled in. */
export interface ModelConfig extends ModelConfigInput {
  enabled: boolean;
  weight: number;
}

/** Where an entry comes from: only `admin` entries can be edited beyond switching them on or off. */
export type ModelSource = 'config' | 'demo' | 'admin';

/** A model as the admin's registry page shows it. */
export interface ModelView extends ModelConfig {
  /** Undefined only for an entry that is not stored (it then cannot be edited). */
  source: ModelSource | undefined;
  /** Whether the variable named by `apiKeyEnv` is set (its value never leaves the server); null without one. */
  apiKeySet: boolean | null;
  speed: ModelSpeed | null;
  /** Hidden from the standings unless a viewer asks for deprecated models (`PATCH /api/admin/models/:id/deprecated`). */
  deprecated: boolean;
}

/** A model a local or configured OpenAI-compatible server offers, not yet in the registry. */
export interface DiscoveredModel {
  /** Suggested registry id, unique per server and model. */
  suggestedId: string;
  /** Model name as the server knows it (the `model` field of a registry entry). */
  model: string;
  baseUrl: string;
  server: string;
}

export interface DiscoverySnapshot {
  /** When the servers were last asked (ISO time); null before the first time. */
  lastRun: string | null;
  servers: string[];
  models: DiscoveredModel[];
  unreachable: Array<{ baseUrl: string; error: string }>;
}

/** Result of POST /api/admin/models and PATCH /api/admin/models/:id. */
export interface ModelWriteResult {
  model: ModelView;
  /** The test run before switching the model on; null when none was needed or it was forced. */
  check: ModelCheckResult | null;
}
