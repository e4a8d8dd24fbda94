/** Every error the server can answer, over HTTP or a socket ack. One table, one envelope. */
import type { ModelCheckResult } from './models.ts';

export const ERROR_CODES = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  not_finished: 409,
  already_voted: 409,
  battle_failed: 409,
  /** The battle was stopped, left for a new one, or not voted within the vote window. */
  battle_closed: 409,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  /** Dotted path of the offending field, when one field is to blame. */
  field?: string;
  /** For `rate_limited`: milliseconds until a retry can succeed. */
  retryAfterMs?: number;
  /** For `invalid_input` on an imported file: every bad row, by line (0 = the file as a whole). */
  problems?: Array<{ line: number; message: string }>;
  /** For `conflict` on switching a model on: the model test that failed (see docs/MODELS.md). */
  check?: ModelCheckResult;
}

export interface ErrorReply {
  ok: false;
  error: ErrorBody;
}

export type Reply<T extends object = object> = ({ ok: true } & T) | ErrorReply;
