/** The random id this browser keeps as an anonymous (public-mode) voter, so its battles survive a reload. */
const VOTER_KEY = 'arena.voterId';

/** This browser's voter id, made on first use. */
export function voterId(): string {
  let id = localStorage.getItem(VOTER_KEY);
  if (!id) {
    id = crypto.randomUUID();
    localStorage.setItem(VOTER_KEY, id);
  }
  return id;
}

/** The id if this browser has one (never makes one; null where there is no storage). */
export function storedVoterId(): string | null {
  return typeof localStorage === 'undefined' ? null : localStorage.getItem(VOTER_KEY);
}
