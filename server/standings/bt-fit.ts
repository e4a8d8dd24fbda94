/**
 * The public Bradley-Terry standings from a snapshot of the votes (pure, no I/O): the public fit
 * (public-fit.ts: prompt deduplication, the configured interval method, neighbours) with the
 * stored online Elo beside it. Runs in the worker (bt-worker.ts); the service adds names and speed
 * on the main thread.
 */
import type { BtLeaderboard } from '../../protocol/types.ts';
import type { RoundsRunner } from '../ratings/bootstrap.ts';
import type { FitSummary } from '../ratings/pair-information.ts';
import { inputOfVotes } from './fit-input.ts';
import type { IntervalChoice } from './fit-methods.ts';
import { type BtFitModel, fitPublicInput } from './public-fit.ts';
import type { BtSnapshot } from './ratings-repo.ts';

export interface BtFitOptions {
  bootstrap: number;
  seed: number;
  /** Default: bootstrap intervals, no prior (FastChat's). */
  intervals?: IntervalChoice | undefined;
  /** Prompt deduplication's top share; 0 or absent: off. */
  dedupTopShare?: number | undefined;
  /** Also fit what the active matchmaking policy draws from. */
  matchmaking?: boolean | undefined;
}

export const BOOTSTRAP_INTERVALS: IntervalChoice = { method: 'bootstrap', clustered: false, priorSd: null };

export type { BtFitModel } from './public-fit.ts';

/** Everything of a BtLeaderboard that depends on the votes alone (structured-clone safe), and the matchmaking summary. */
export type BtFit = Omit<BtLeaderboard, 'method' | 'computedAt' | 'stale' | 'models'> & { models: BtFitModel[]; matchmaking: FitSummary | null };

/** `runRounds`: who runs the bootstrap's rounds (the worker spreads them over two threads); the numbers are the same. */
export function fitBt(snapshot: BtSnapshot, options: BtFitOptions, runRounds?: RoundsRunner): BtFit {
  const input = snapshot.source === 'counts' ? snapshot.input : inputOfVotes(snapshot.votes, options.dedupTopShare ?? 0);
  const fit = fitPublicInput(input, {
    intervals: options.intervals ?? BOOTSTRAP_INTERVALS,
    bootstrap: options.bootstrap,
    seed: options.seed,
    dedupTopShare: options.dedupTopShare ?? 0,
    styleControl: false,
    eloRatings: new Map(snapshot.elo),
    eloK: 0,
    matchmaking: options.matchmaking,
    runRounds,
  });
  return {
    votes: fit.votes,
    converged: fit.converged,
    componentCount: fit.componentCount,
    warnings: fit.warnings,
    bootstrap: fit.bootstrap,
    intervals: fit.intervals,
    models: fit.models,
    neighbours: fit.neighbours,
    pairs: { models: fit.pairs.models, battles: fit.pairs.battles, predicted: fit.pairs.predicted },
    promptDedup: fit.promptDedup,
    matchmaking: fit.matchmaking,
  };
}
