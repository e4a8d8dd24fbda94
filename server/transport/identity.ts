/**
 * Who is acting, as every HTTP request and socket carries it, and what each role may do. Resolving
 * an identity (sessions, SSO proxy, public mode) is server/auth's job; checking one is here.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { type Action, can, isSignedInRole, type Role } from '../../protocol/permissions.ts';
import { AppError } from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is asking; set for every request (server/auth) before any handler runs. */
    identity: Identity;
  }
}

export interface Identity {
  /** Whose battles and votes these are: the user id when signed in, else the browser's id. */
  voterId: string;
  userId: string | null;
  /**
   * `anonymous` = public-mode visitor, allowed what a member may do in the public arena;
   * `guest` = signed-out visitor in accounts mode, allowed nothing but the public leaderboard.
   */
  role: Role;
  email: string | null;
}

/** What a resolver sees of a request or a socket handshake. */
export interface RequestInfo {
  headers: IncomingHttpHeaders;
  /** Address of the peer that connected (a proxy, when there is one). */
  remoteAddress: string;
  /** The per-browser id a public-mode client sent, if any. */
  claimedVoterId: unknown;
}

export type IdentityResolver = (req: RequestInfo) => Identity | Promise<Identity>;

/** Throws `forbidden` (or `unauthorized` for visitors not signed in) unless the role allows the action. */
export function requireAction(identity: Identity, action: Action): void {
  if (can(identity.role, action)) return;
  if (!isSignedIn(identity)) throw new AppError('unauthorized', 'sign in to do this');
  throw new AppError('forbidden', `your role (${identity.role}) does not allow this`);
}

export function isSignedIn(identity: Identity): boolean {
  return isSignedInRole(identity.role);
}

/**
 * Team evaluations are judged by known people: a signed-in admin or member, in either mode.
 * Anonymous public-mode visitors and guests get `unauthorized`, viewers `forbidden`.
 */
export function requireEvaluator(identity: Identity): void {
  if (!isSignedIn(identity) || identity.userId === null) throw new AppError('unauthorized', 'sign in to take part in evaluations');
  requireAction(identity, 'evaluate');
}
