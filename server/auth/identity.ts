/**
 * The identities a visitor without an account gets: public mode (the default) lets anonymous
 * browsers battle and vote under a per-browser id; accounts mode gives signed-out visitors nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Identity, RequestInfo } from '../transport/identity.ts';

const VOTER_ID = /^[A-Za-z0-9_-]{8,64}$/;

/** Public mode: anyone may battle and vote, identified by the random id their browser keeps. */
export const publicIdentity = (req: RequestInfo): Identity => ({
  voterId: typeof req.claimedVoterId === 'string' && VOTER_ID.test(req.claimedVoterId) ? `anon:${req.claimedVoterId}` : `anon:${randomUUID()}`,
  userId: null,
  role: 'anonymous',
  email: null,
});

/** Accounts mode, signed out: no battles, no votes, only the public leaderboard. */
export function guestIdentity(): Identity {
  return { voterId: `guest:${randomUUID()}`, userId: null, role: 'guest', email: null };
}
