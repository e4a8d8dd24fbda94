/**
 * Login throttling (pure, in memory): failed sign-ins counted per key in a sliding window. A key
 * is blocked once it has `max` failures in the window; with `progressive`, it also waits a
 * growing delay after each failure from the third on (1 s, 2 s, 4 s, …), so guessing slows long
 * before the hard limit. The service picks the keys (see AuthService.login), so that a guesser's
 * failures block the guesser, never the account's owner signing in from elsewhere.
 */
export interface LimitRule {
  key: string;
  max: number;
  progressive?: boolean;
}

const MAX_KEYS = 50_000;
/** Failures allowed before delays begin. */
const FREE_FAILURES = 2;

export class LoginLimiter {
  readonly #failures = new Map<string, number[]>();
  readonly #windowMs: number;
  readonly #now: () => number;

  constructor(windowMs: number, now: () => number = Date.now) {
    this.#windowMs = windowMs;
    this.#now = now;
  }

  /** Milliseconds until every rule lets a try through; 0 when none blocks. */
  retryAfterMs(rules: readonly LimitRule[]): number {
    const now = this.#now();
    let wait = 0;
    for (const rule of rules) {
      const recent = this.#recent(rule.key, now);
      if (recent.length >= rule.max) {
        // The window frees up when the oldest counted failure leaves it.
        const oldest = recent[recent.length - rule.max]!;
        wait = Math.max(wait, oldest + this.#windowMs - now);
      } else if (rule.progressive && recent.length > FREE_FAILURES) {
        const delay = Math.min(1000 * 2 ** (recent.length - FREE_FAILURES - 1), this.#windowMs);
        wait = Math.max(wait, recent[recent.length - 1]! + delay - now);
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
    const cutoff = now - this.#windowMs;
    let drop = 0;
    while (drop < list.length && list[drop]! <= cutoff) drop++;
    return drop > 0 ? list.slice(drop) : list;
  }
}
