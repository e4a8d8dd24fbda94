/**
 * Abuse and cost limits around battles and votes. Under ARENA_LOAD_TEST the rate limits and vote
 * caps are off (so a benchmark can drive the server from one address); size limits stay on.
 */

import { AppError } from '../transport/errors.ts';
import type { LimitsConfig } from './config.ts';
import { type BucketRule, RateLimiter } from './rate-limiter.ts';

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
  readonly #limiter: RateLimiter;
  readonly #votes: VoteCounter;
  readonly #now: () => number;
  readonly #rules: Record<'battle' | 'battleIp' | 'turn', BucketRule>;

  constructor(opts: { limits: LimitsConfig; loadTest: boolean; votes: VoteCounter; now?: () => number }) {
    this.#limits = opts.limits;
    this.#rateLimited = !opts.loadTest;
    this.#now = opts.now ?? Date.now;
    this.#limiter = new RateLimiter(this.#now);
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

  checkStart(caller: Caller, prompt: string, liveBattles: number): void {
    this.checkPrompt(prompt);
    this.#checkConcurrency(liveBattles);
    this.#take(`battle:v:${caller.voterId}`, this.#rules.battle, 'battles');
    this.#take(`battle:ip:${caller.ip}`, this.#rules.battleIp, 'battles from your network');
  }

  checkTurn(caller: Caller, prompt: string, nextTurn: number, liveBattles: number): void {
    this.checkPrompt(prompt);
    this.#checkConcurrency(liveBattles);
    if (nextTurn > this.#limits.maxTurns) {
      throw new AppError('invalid_input', `a battle has at most ${this.#limits.maxTurns} turns; vote or start a new one`, { field: 'prompt' });
    }
    this.#take(`turn:v:${caller.voterId}`, this.#rules.turn, 'follow-up prompts');
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

  #take(key: string, rule: BucketRule, what: string): void {
    if (!this.#rateLimited) return;
    const waitMs = this.#limiter.take(key, rule);
    if (waitMs > 0) {
      throw new AppError('rate_limited', `too many ${what}; try again in ${Math.ceil(waitMs / 1000)} s`, { retryAfterMs: waitMs });
    }
  }
}
