/**
 * The token buckets of rate-limiter.ts kept in Redis, so that every instance of a deployment takes
 * from the same bucket: a voter hopping between instances gets one burst, not one per instance.
 * One Lua script per take (atomic in Redis) does what RateLimiter.take does, with the same
 * arithmetic: refill by elapsed time, at most `capacity`, take one token or say how long until one.
 * A bucket's key expires once it would be full again (a full bucket and a missing one are the same),
 * so Redis needs no sweep. The time is the app's clock, passed in; a host whose clock is behind
 * never refills a bucket backwards.
 */
import { REDIS_REQUEST_DEADLINE_MS, withinDeadline } from '../transport/redis-deadline.ts';
import type { BucketRule } from './rate-limiter.ts';

/** KEYS[1] bucket; ARGV capacity, tokens per ms, now (ms), ttl (ms). Returns 0 or the wait in ms. */
export const TAKE_SCRIPT = `
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local stored = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(stored[1])
local at = tonumber(stored[2])
if tokens == nil or at == nil then
  tokens = capacity
  at = now
end
if now > at then
  tokens = math.min(capacity, tokens + (now - at) * rate)
  at = now
end
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = math.ceil((1 - tokens) / rate)
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', string.format('%d', at))
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return wait
`;

/** The Redis command the buckets use (a node-redis client has it). */
export interface BucketRedis {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/** Where buckets live: in this process (RateLimiter) or in Redis (SharedBuckets). */
export interface TokenBuckets {
  /** Takes one token; 0 when allowed, else the milliseconds until one is available. */
  take(key: string, rule: BucketRule): number | Promise<number>;
  /** Forgets idle buckets (periodically); nothing to do where keys expire by themselves. */
  sweep(rules: Iterable<BucketRule>): void;
}

export class SharedBuckets implements TokenBuckets {
  readonly #redis: BucketRedis;
  readonly #now: () => number;
  readonly #prefix: string;

  /** `prefix` keeps one feature's buckets apart from another's (the arena's and the direct chat's). */
  constructor(redis: BucketRedis, opts: { prefix: string; now?: () => number }) {
    this.#redis = redis;
    this.#prefix = `arena:bucket:${opts.prefix}:`;
    this.#now = opts.now ?? Date.now;
  }

  async take(key: string, rule: BucketRule): Promise<number> {
    const ratePerMs = rule.perMinute / 60_000;
    const ttlMs = Math.ceil(rule.capacity / ratePerMs);
    const taken = this.#redis.eval(TAKE_SCRIPT, {
      keys: [this.#prefix + key],
      arguments: [String(rule.capacity), String(ratePerMs), String(Math.floor(this.#now())), String(Math.max(1, ttlMs))],
    });
    return Number(await withinDeadline(taken, REDIS_REQUEST_DEADLINE_MS));
  }

  sweep(): void {}
}
