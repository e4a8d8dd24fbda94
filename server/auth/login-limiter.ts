/**
 * Login throttling: failed sign-ins counted per key in a sliding window. A key is blocked once it
 * has `max` failures in the window; with `progressive`, it also waits a growing delay after each
 * failure from the third on (1 s, 2 s, 4 s, …), so guessing slows long before the hard limit. The
 * service picks the keys (see AuthService.login), so that a guesser's failures block the guesser,
 * never the account's owner signing in from elsewhere. The failures are kept in this process, or
 * in Redis when instances share them (a guesser hopping between instances meets one limit).
 */
import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../transport/errors.ts';
import { REDIS_REQUEST_DEADLINE_MS, withinDeadline } from '../transport/redis-deadline.ts';

export interface LimitRule {
  key: string;
  max: number;
  progressive?: boolean;
}

const MAX_KEYS = 50_000;
/** Failures allowed before delays begin. */
const FREE_FAILURES = 2;
/** Failures remembered per key: as many as the largest `max` the config allows (server/auth/config.ts). */
const MAX_PER_KEY = 100_000;

/** Where failures are kept: each key's failure times (ms), oldest first. */
export interface FailureLog {
  /** Each key's failures after `since`, oldest first. */
  recent(keys: readonly string[], since: number): Promise<number[][]>;
  add(keys: readonly string[], at: number, windowMs: number): Promise<void>;
  clear(key: string): Promise<void>;
}

/** The failures in this process, bounded to the MAX_KEYS keys that failed last. */
export class MemoryFailureLog implements FailureLog {
  readonly #failures = new Map<string, number[]>();

  async recent(keys: readonly string[], since: number): Promise<number[][]> {
    return keys.map((key) => this.#prune(key, since));
  }

  async add(keys: readonly string[], at: number, windowMs: number): Promise<void> {
    for (const key of keys) {
      const recent = this.#prune(key, at - windowMs);
      recent.push(at);
      if (recent.length > MAX_PER_KEY) recent.splice(0, recent.length - MAX_PER_KEY);
      this.#failures.delete(key); // re-insert: Map order doubles as least-recently-failed order
      this.#failures.set(key, recent);
    }
    while (this.#failures.size > MAX_KEYS) this.#failures.delete(this.#failures.keys().next().value!);
  }

  async clear(key: string): Promise<void> {
    this.#failures.delete(key);
  }

  #prune(key: string, since: number): number[] {
    const list = this.#failures.get(key);
    if (!list) return [];
    let drop = 0;
    while (drop < list.length && list[drop]! <= since) drop++;
    if (drop > 0) list.splice(0, drop);
    return list;
  }
}

/** The Redis commands the shared log uses (a node-redis client has them). */
export interface FailureRedis {
  zAdd(key: string, member: { score: number; value: string }): Promise<unknown>;
  zRemRangeByScore(key: string, min: string | number, max: string | number): Promise<unknown>;
  zRemRangeByRank(key: string, start: number, stop: number): Promise<unknown>;
  zRangeByScore(key: string, min: string | number, max: string | number): Promise<ReadonlyArray<unknown>>;
  pExpire(key: string, ms: number): Promise<unknown>;
  del(key: string): Promise<unknown>;
}

/**
 * The failures in Redis: one sorted set per key (scored by time), expiring with the window. Keys
 * are hashed: Redis never holds an email or an address in the clear.
 */
export class SharedFailureLog implements FailureLog {
  readonly #redis: FailureRedis;

  constructor(redis: FailureRedis) {
    this.#redis = redis;
  }

  async recent(keys: readonly string[], since: number): Promise<number[][]> {
    const lists = await bounded(Promise.all(keys.map((key) => this.#redis.zRangeByScore(redisKey(key), `(${since}`, '+inf'))));
    return lists.map((members) => members.map((m) => Number(String(m).split(':')[0])));
  }

  async add(keys: readonly string[], at: number, windowMs: number): Promise<void> {
    await bounded(
      Promise.all(
        keys.map(async (key) => {
          const k = redisKey(key);
          await this.#redis.zAdd(k, { score: at, value: `${at}:${randomBytes(6).toString('hex')}` });
          await this.#redis.zRemRangeByScore(k, '-inf', at - windowMs);
          await this.#redis.zRemRangeByRank(k, 0, -MAX_PER_KEY - 1);
          await this.#redis.pExpire(k, windowMs);
        }),
      ),
    );
  }

  async clear(key: string): Promise<void> {
    await bounded(this.#redis.del(redisKey(key)));
  }
}

/**
 * A sign-in waits at most REDIS_REQUEST_DEADLINE_MS for the shared failure log, then is refused as
 * `unavailable` (never let through unchecked): Redis down or hung does not hold the request open.
 */
async function bounded<T>(work: Promise<T>): Promise<T> {
  try {
    return await withinDeadline(work, REDIS_REQUEST_DEADLINE_MS);
  } catch (err) {
    console.error('sign-in throttle unavailable:', err);
    throw new AppError('unavailable', 'sign-in cannot be checked right now; try again in a moment', { retryAfterMs: REDIS_REQUEST_DEADLINE_MS });
  }
}

const redisKey = (key: string) => `arena:login:${createHash('sha256').update(key).digest('base64url')}`;

export class LoginLimiter {
  readonly #log: FailureLog;
  readonly #windowMs: number;
  readonly #now: () => number;

  constructor(windowMs: number, now: () => number = Date.now, log: FailureLog = new MemoryFailureLog()) {
    this.#windowMs = windowMs;
    this.#now = now;
    this.#log = log;
  }

  /** Milliseconds until every rule lets a try through; 0 when none blocks. */
  async retryAfterMs(rules: readonly LimitRule[]): Promise<number> {
    const now = this.#now();
    const lists = await this.#log.recent(
      rules.map((r) => r.key),
      now - this.#windowMs,
    );
    return waitFor(rules, lists, now, this.#windowMs);
  }

  async fail(keys: readonly string[]): Promise<void> {
    await this.#log.add(keys, this.#now(), this.#windowMs);
  }

  async clear(key: string): Promise<void> {
    await this.#log.clear(key);
  }
}

/** The wait the rules impose (pure): `recent[i]` is rule i's failures in the window, oldest first. */
export function waitFor(rules: readonly LimitRule[], recent: readonly (readonly number[])[], now: number, windowMs: number): number {
  let wait = 0;
  rules.forEach((rule, i) => {
    const list = recent[i] ?? [];
    if (list.length >= rule.max) {
      // The window frees up when the oldest counted failure leaves it.
      const oldest = list[list.length - rule.max]!;
      wait = Math.max(wait, oldest + windowMs - now);
    } else if (rule.progressive && list.length > FREE_FAILURES) {
      const delay = Math.min(1000 * 2 ** (list.length - FREE_FAILURES - 1), windowMs);
      wait = Math.max(wait, list[list.length - 1]! + delay - now);
    }
  });
  return wait;
}
