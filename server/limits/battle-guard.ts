/**
 * Abuse and cost limits around battles and votes. Under ARENA_LOAD_TEST the rate limits and vote
 * caps are off (so a benchmark can drive the server from one address); size limits stay on. The
 * token buckets are this process's, or Redis's when instances share them (shared-buckets.ts): then
 * taking a token waits for Redis, so the checks that take one are async. Vote caps count the votes
 * in the shared database, inside the vote's own transaction.
 */

import { AppError } from '../transport/errors.ts';
import { REDIS_REQUEST_DEADLINE_MS } from '../transport/redis-deadline.ts';
import type { LimitsConfig } from './config.ts';
import { type BucketRule, RateLimiter } from './rate-limiter.ts';
import type { TokenBuckets } from './shared-buckets.ts';

export interface Caller {
  voterId: string;
  ip: string;
}

export interface VoteCounter {
  votesSince(by: { voterId: string } | { ip: string }, since: Date): number;
}

export class BattleGuard {
  readonly #limits: LimitsConfig;
  readonly #rateLimited: boolean;
  readonly #limiter: TokenBuckets;
  readonly #votes: VoteCounter;
  readonly #now: () => number;
  readonly #rules: Record<'battle' | 'battleIp' | 'turn', BucketRule>;

  /** `buckets`: where the token buckets live (this process's by default). */
  constructor(opts: { limits: LimitsConfig; loadTest: boolean; votes: VoteCounter; now?: () => number; buckets?: TokenBuckets | undefined }) {
    this.#limits = opts.limits;
    this.#rateLimited = !opts.loadTest;
    this.#now = opts.now ?? Date.now;
    this.#limiter = opts.buckets ?? new RateLimiter(this.#now);
    this.#votes = opts.votes;
    const l = opts.limits;
    this.#rules = {
      battle: { capacity: l.battlesBurst, perMinute: l.battlesPerMinute },
      battleIp: { capacity: Math.max(l.battlesBurst, l.battlesPerMinutePerIp), perMinute: l.battlesPerMinutePerIp },
      turn: { capacity: l.turnsBurst, perMinute: l.turnsPerMinute },
    };
  }

  checkPrompt(prompt: string): void {
    if (prompt.length > this.#limits.maxPromptChars) {
      throw new AppError('invalid_input', `prompt: must be at most ${this.#limits.maxPromptChars} characters`, { field: 'prompt' });
    }
  }

  /** Size and concurrency are checked before any token is taken; rejects with the first limit hit. */
  async checkStart(caller: Caller, prompt: string, liveBattles: number): Promise<void> {
    this.checkPrompt(prompt);
    this.#checkConcurrency(liveBattles);
    await this.#take(`battle:v:${caller.voterId}`, this.#rules.battle, 'battles');
    await this.#take(`battle:ip:${caller.ip}`, this.#rules.battleIp, 'battles from your network');
  }

  async checkTurn(caller: Caller, prompt: string, nextTurn: number, liveBattles: number): Promise<void> {
    this.checkPrompt(prompt);
    this.#checkConcurrency(liveBattles);
    if (nextTurn > this.#limits.maxTurns) {
      throw new AppError('invalid_input', `a battle has at most ${this.#limits.maxTurns} turns; vote or start a new one`, { field: 'prompt' });
    }
    await this.#take(`turn:v:${caller.voterId}`, this.#rules.turn, 'follow-up prompts');
  }

  #checkConcurrency(liveBattles: number): void {
    if (liveBattles >= this.#limits.maxConcurrentBattles) {
      throw new AppError('rate_limited', `at most ${this.#limits.maxConcurrentBattles} battles may stream at once; wait for one to finish`, {
        retryAfterMs: 1000,
      });
    }
  }

  checkVoteCaps(caller: Caller): void {
    if (!this.#rateLimited) return;
    const now = new Date(this.#now());
    const midnight = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    const retryAfterMs = midnight.getTime() + 86_400_000 - now.getTime();
    if (this.#votes.votesSince({ voterId: caller.voterId }, midnight) >= this.#limits.votesPerDay) {
      throw new AppError('rate_limited', `daily vote limit reached (${this.#limits.votesPerDay}); it resets at midnight UTC`, { retryAfterMs });
    }
    if (this.#votes.votesSince({ ip: caller.ip }, midnight) >= this.#limits.votesPerDayPerIp) {
      throw new AppError('rate_limited', 'daily vote limit for your network reached; it resets at midnight UTC', { retryAfterMs });
    }
  }

  /** Forget idle buckets; called periodically. */
  sweep(): void {
    this.#limiter.sweep(Object.values(this.#rules));
  }

  async #take(key: string, rule: BucketRule, what: string): Promise<void> {
    if (!this.#rateLimited) return;
    let waitMs: number;
    try {
      waitMs = await this.#limiter.take(key, rule);
    } catch (err) {
      // The shared limits cannot be read (Redis unreachable): refuse rather than let anything through.
      console.error('rate limits unavailable:', err);
      throw new AppError('unavailable', 'the rate limits cannot be checked right now; try again in a moment', { retryAfterMs: REDIS_REQUEST_DEADLINE_MS });
    }
    if (waitMs > 0) {
      throw new AppError('rate_limited', `too many ${what}; try again in ${Math.ceil(waitMs / 1000)} s`, { retryAfterMs: waitMs });
    }
  }
}
