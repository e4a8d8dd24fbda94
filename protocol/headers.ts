/** HTTP headers of the contract. No schemas here: the page imports this module as it is. */

/** The header every state-changing HTTP request must carry (see docs/API.md, CSRF). */
export const CSRF_HEADER = 'x-arena-csrf';

/**
 * Public mode: the per-browser voter id (the one the socket sends as `auth.voterId`), sent with
 * HTTP requests that read the voter's own battles (`GET /api/battles`, model pages).
 */
export const VOTER_HEADER = 'x-arena-voter';
