/**
 * What the instances of one deployment tell and ask each other: socket.io server-side events,
 * carried by the Redis adapter (server/transport/cluster.ts). Never seen by a browser.
 */

/** Told to every other instance, answered by nobody. */
export interface PeerTells {
  /** Written for tests and operators: an instance says it is here. */
  'cluster:hello': { instanceId: string };
}

/** Asked of every other instance; each answers with PeerAnswers[event]. */
export interface PeerAsks {
  /** Which instances are up (each answers with its id). */
  'cluster:who': Record<string, never>;
}

export interface PeerAnswers {
  'cluster:who': { instanceId: string };
}
