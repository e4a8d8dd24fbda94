/**
 * What a voter is told when a side fails. Before the vote nothing may identify a model, and raw
 * service messages often name it ("model `x` not found") or its vendor, so the voter gets a message
 * built from the failure's kind only; the full message is stored for admins.
 */
import type { Interruption, PublicFailure } from '../../protocol/types.ts';
import type { CompletionResult, ProviderErrorKind } from '../providers/types.ts';

const FAILURE_OF_KIND: Record<ProviderErrorKind, PublicFailure> = {
  connect: 'unreachable',
  http: 'service_error',
  upstream: 'service_error',
  rate_limited: 'busy',
  timeout: 'too_slow',
  protocol: 'broken_stream',
  aborted: 'page_closed',
  stopped: 'stopped',
  interrupted: 'restart',
};

/** English words for each failure (the page words it in the reader's language from the code). */
const MESSAGE: Record<PublicFailure, string> = {
  unreachable: "Could not reach this model's service.",
  service_error: "This model's service answered with an error.",
  busy: "This model's service is busy (rate-limited). Try again in a little while.",
  too_slow: 'This model took too long to answer.',
  broken_stream: "This model's answer stream broke off or was malformed.",
  page_closed: 'Stopped: the page was closed before this answer finished.',
  stopped: 'Stopped before this answer finished.',
  restart: 'The server restarted before this answer finished.',
  not_stored: 'The answer could not be stored; start a new battle.',
};

// No status codes, retry times or timeouts: those differ by vendor (529 is Anthropic's) and
// would let a voter tell the models apart before voting.
export function publicFailure(kind: ProviderErrorKind): PublicFailure {
  return FAILURE_OF_KIND[kind];
}

export function failureMessage(failure: PublicFailure): string {
  return MESSAGE[failure];
}

export function publicErrorMessage(error: NonNullable<CompletionResult['error']>): string {
  return MESSAGE[publicFailure(error.kind)];
}

/** The arena's own reason for cutting an answer short, or null when the model (or its service) ended it. */
export function interruptionOf(kind: string | null | undefined): Interruption | null {
  if (kind === 'interrupted') return 'restart';
  if (kind === 'stopped' || kind === 'aborted') return 'stopped';
  return null;
}
