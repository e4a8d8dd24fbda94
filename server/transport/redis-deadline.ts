/**
 * A node-redis client that lost its connection queues commands until it is back, so a command's
 * promise can wait for as long as Redis is away. Callers that must not wait that long bound it.
 */

/** `work`, or a rejection once `ms` passed without it settling. */
export function withinDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
