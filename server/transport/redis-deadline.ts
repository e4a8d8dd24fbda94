/**
 * A node-redis client that lost its connection queues commands until it is back, so a command's
 * promise can wait for as long as Redis is away. Callers that must not wait that long bound it.
 */

/** How long a request waits for Redis before it is refused (`unavailable`) rather than held open. */
export const REDIS_REQUEST_DEADLINE_MS = 2000;

/** `work`, or a rejection once `ms` passed without it settling. */
export function withinDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
