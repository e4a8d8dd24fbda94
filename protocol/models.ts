/**
 * Contract for the admin model registry's test: what a check of one model may show a browser.
 * Only figures and our own words: never a key, never the upstream's response text beyond a short,
 * redacted sample of the model's answer.
 */
import { z } from 'zod';

/**
 * Query of POST /api/admin/models and PATCH /api/admin/models/:id. Switching a model on runs its
 * test first and refuses a failing one; `force=1` switches it on anyway (without testing again).
 */
export const modelWriteQuerySchema = z.strictObject({ force: z.enum(['0', '1']).optional() });

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
