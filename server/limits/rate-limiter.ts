/**
 * Token buckets keyed by voter or address (pure, injectable clock). Every battle costs two model
 * calls, so starting battles and turns is limited per user and per IP.
 */

export interface BucketRule {
  /** Requests allowed in a burst. */
  capacity: number;
  /** Tokens regained per minute. */
  perMinute: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Takes one token; returns 0 when allowed, else the milliseconds until one is available. */
  take(key: string, rule: BucketRule): number {
    const now = this.#now();
    const ratePerMs = rule.perMinute / 60_000;
    const bucket = this.#buckets.get(key) ?? { tokens: rule.capacity, updatedAt: now };
    bucket.tokens = Math.min(rule.capacity, bucket.tokens + (now - bucket.updatedAt) * ratePerMs);
    bucket.updatedAt = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / ratePerMs);
  }

  /** Drops full buckets so memory stays bounded by recent activity. */
  sweep(rules: Iterable<BucketRule>): void {
    const maxRefillMs = Math.max(...[...rules].map((r) => (60_000 * r.capacity) / r.perMinute));
    const cutoff = this.#now() - maxRefillMs;
    for (const [key, bucket] of this.#buckets) if (bucket.updatedAt < cutoff) this.#buckets.delete(key);
  }
}
