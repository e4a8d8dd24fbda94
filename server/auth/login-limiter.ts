/**
 * Login throttling: at most `maxFailures` failed sign-ins per key (the client IP, and the email
 * tried) in a sliding window. Checked before the password is, so guessing stops at the limit.
 */
export interface LoginLimits {
  maxFailures: number;
  windowMs: number;
}

const MAX_KEYS = 50_000;

export class LoginLimiter {
  readonly #failures = new Map<string, number[]>();
  readonly #limits: LoginLimits;
  readonly #now: () => number;

  constructor(limits: LoginLimits, now: () => number = Date.now) {
    this.#limits = limits;
    this.#now = now;
  }

  /** Milliseconds until every key may try again; 0 when none is blocked. */
  retryAfterMs(keys: readonly string[]): number {
    const now = this.#now();
    let wait = 0;
    for (const key of keys) {
      const recent = this.#recent(key, now);
      if (recent.length >= this.#limits.maxFailures) {
        // The window frees up when the oldest counted failure leaves it.
        const oldest = recent[recent.length - this.#limits.maxFailures]!;
        wait = Math.max(wait, oldest + this.#limits.windowMs - now);
      }
    }
    return wait;
  }

  fail(keys: readonly string[]): void {
    const now = this.#now();
    for (const key of keys) {
      const recent = this.#recent(key, now);
      recent.push(now);
      this.#failures.delete(key); // re-insert: Map order doubles as least-recently-failed order
      this.#failures.set(key, recent);
    }
    while (this.#failures.size > MAX_KEYS) this.#failures.delete(this.#failures.keys().next().value!);
  }

  clear(key: string): void {
    this.#failures.delete(key);
  }

  #recent(key: string, now: number): number[] {
    const list = this.#failures.get(key) ?? [];
    const cutoff = now - this.#limits.windowMs;
    let drop = 0;
    while (drop < list.length && list[drop]! <= cutoff) drop++;
    return drop > 0 ? list.slice(drop) : list;
  }
}
