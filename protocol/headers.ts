/** HTTP headers of the contract. No schemas here: the page imports this module as it is. */

/** The header every state-changing HTTP request must carry (see docs/API.md, CSRF). */
export const CSRF_HEADER = 'x-arena-csrf';

/**
 * The per-browser id of an anonymous (public-mode) visitor, sent on HTTP requests as the socket
 * sends it at its handshake, so the server can show that browser its own battles.
 */
export const VOTER_HEADER = 'x-arena-voter';
