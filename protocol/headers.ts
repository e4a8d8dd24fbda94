/** HTTP headers of the contract. No schemas here: the page imports this module as it is. */

/** The header every state-changing HTTP request must carry (see docs/API.md, CSRF). */
export const CSRF_HEADER = 'x-arena-csrf';
