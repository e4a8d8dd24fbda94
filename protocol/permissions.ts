/**
 * Who may do what: the one role→permission table. The server enforces it (an HTTP route or a
 * socket handler refuses what the table does not allow); the page reads it only to decide which
 * links and pages to show.
 */
import type { RoleName } from './auth.ts';

/**
 * `anonymous` = public-mode visitor, allowed what a member may do in the public arena;
 * `guest` = signed-out visitor in accounts mode, allowed nothing but the public leaderboard.
 */
export type Role = RoleName | 'anonymous' | 'guest';

/**
 * `evaluate`: judge team evaluations. They are judged by known people, so an anonymous visitor
 * may battle and vote but not evaluate.
 */
export type Action = 'battle' | 'vote' | 'view' | 'admin' | 'evaluate';

export const PERMISSIONS: { readonly [R in Role]: readonly Action[] } = {
  admin: ['battle', 'vote', 'view', 'admin', 'evaluate'],
  member: ['battle', 'vote', 'view', 'evaluate'],
  viewer: ['view'],
  anonymous: ['battle', 'vote', 'view'],
  guest: [],
};

export function can(role: Role, action: Action): boolean {
  return PERMISSIONS[role].includes(action);
}

/** Anonymous visitors and guests are not signed in: a refusal tells them to sign in (401), others get 403. */
export function isSignedInRole(role: Role): role is RoleName {
  return role !== 'anonymous' && role !== 'guest';
}
