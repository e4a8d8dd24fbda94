/** The one error type services throw; transports turn it into the `{ ok: false, error }` envelope. */
import { ERROR_CODES, type ErrorBody, type ErrorCode, type ErrorReply } from '../../protocol/errors.ts';

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly retryAfterMs: number | undefined;
  constructor(code: ErrorCode, message: string, opts: { field?: string; retryAfterMs?: number } = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.field = opts.field;
    this.retryAfterMs = opts.retryAfterMs;
  }

  get status(): number {
    return ERROR_CODES[this.code];
  }

  toBody(): ErrorBody {
    return {
      code: this.code,
      message: this.message,
      ...(this.field !== undefined ? { field: this.field } : {}),
      ...(this.retryAfterMs !== undefined ? { retryAfterMs: this.retryAfterMs } : {}),
    };
  }
}

/** Any thrown value as a reply; unexpected errors are logged here and never leak their details. */
export function errorReply(err: unknown): ErrorReply {
  if (err instanceof AppError) return { ok: false, error: err.toBody() };
  console.error('unexpected error:', err);
  return { ok: false, error: { code: 'internal', message: 'internal error' } };
}
