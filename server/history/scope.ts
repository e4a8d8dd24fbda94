/**
 * Whose battles a caller may look back on (pure): admins every battle; members, viewers and
 * anonymous public-mode voters their own (the anonymous ones by the id their browser keeps);
 * guests in accounts mode none.
 */
import type { Identity } from '../transport/identity.ts';

export type HistoryScope = { kind: 'all' } | { kind: 'voter'; voterId: string } | { kind: 'none' };

export function historyScope(identity: Identity): HistoryScope {
  if (identity.role === 'admin') return { kind: 'all' };
  if (identity.role === 'guest') return { kind: 'none' };
  return { kind: 'voter', voterId: identity.voterId };
}

export function inScope(scope: HistoryScope, voterId: string): boolean {
  return scope.kind === 'all' || (scope.kind === 'voter' && scope.voterId === voterId);
}
