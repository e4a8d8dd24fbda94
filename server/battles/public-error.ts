/**
 * What a voter is told when a side fails. Before the vote nothing may identify a model, and raw
 * service messages often name it ("model `x` not found") or its vendor, so the voter gets a message
 * built from the failure's kind only; the full message is stored for admins.
 */
import type { CompletionResult } from '../providers/types.ts';

export function publicErrorMessage(error: NonNullable<CompletionResult['error']>): string {
  switch (error.kind) {
    case 'connect':
      return "Could not reach this model's service.";
    case 'http':
      return `This model's service answered with an error (HTTP ${error.status ?? '?'}).`;
    case 'rate_limited': {
      const wait = error.retryAfterMs !== undefined ? ` Try again in ${Math.ceil(error.retryAfterMs / 1000)} s.` : '';
      return `This model's service is rate-limiting requests.${wait}`;
    }
    case 'timeout':
      return `This model took too long to answer (${error.message}).`;
    case 'protocol':
      return "This model's answer stream broke off or was malformed.";
    case 'upstream':
      return "This model's service reported an error in the middle of the answer.";
    case 'aborted':
      return 'The answer was cancelled.';
  }
}
