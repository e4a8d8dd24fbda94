/**
 * What a voter is told when a side fails. Before the vote nothing may identify a model, and raw
 * service messages often name it ("model `x` not found") or its vendor, so the voter gets a message
 * built from the failure's kind only; the full message is stored for admins.
 */
import type { Interruption } from '../../protocol/types.ts';
import type { CompletionResult } from '../providers/types.ts';

export function publicErrorMessage(error: NonNullable<CompletionResult['error']>): string {
  // No status codes, retry times or timeouts: those differ by vendor (529 is Anthropic's) and
  // would let a voter tell the models apart before voting.
  switch (error.kind) {
    case 'connect':
      return "Could not reach this model's service.";
    case 'http':
    case 'upstream':
      return "This model's service answered with an error.";
    case 'rate_limited':
      return "This model's service is busy (rate-limited). Try again in a little while.";
    case 'timeout':
      return 'This model took too long to answer.';
    case 'protocol':
      return "This model's answer stream broke off or was malformed.";
    case 'aborted':
      return 'Stopped: the page was closed before this answer finished.';
    case 'stopped':
      return 'Stopped before this answer finished.';
    case 'interrupted':
      return 'The server restarted before this answer finished.';
  }
}

/** The arena's own reason for cutting an answer short, or null when the model (or its service) ended it. */
export function interruptionOf(kind: string | null | undefined): Interruption | null {
  if (kind === 'interrupted') return 'restart';
  if (kind === 'stopped' || kind === 'aborted') return 'stopped';
  return null;
}
