/**
 * Online Elo as FastChat computes it: one pass over battles in order, every model starting at
 * `init`, each battle moving both ratings by k·(score − expected). Order-dependent by design.
 */
import type { BattleColumns } from './counts.ts';
import { type BattleResult, OUTCOME_CODE, scoreOfA } from './outcomes.ts';

export interface EloOptions {
  /** Step size per battle. */
  k?: number;
  /** Rating difference at which the expected score is 1/(1+base). */
  scale?: number;
  base?: number;
  /** Rating a model has before its first battle. */
  init?: number;
}

function withDefaults(options: EloOptions): Required<EloOptions> {
  return { k: options.k ?? 4, scale: options.scale ?? 400, base: options.base ?? 10, init: options.init ?? 1000 };
}

/** Expected score of A against B. */
export function eloExpected(ra: number, rb: number, scale = 400, base = 10): number {
  return 1 / (1 + base ** ((rb - ra) / scale));
}

/** New [ra, rb] after one battle in which A scored `scoreA` (1 win, 0.5 tie, 0 loss). */
export function eloUpdate(ra: number, rb: number, scoreA: number, k: number): [number, number] {
  return eloStep(ra, rb, scoreA, k, 400, 10);
}

function eloStep(ra: number, rb: number, scoreA: number, k: number, scale: number, base: number): [number, number] {
  const expectedA = eloExpected(ra, rb, scale, base);
  // Written as two expectations (not 1 − expectedA) to match FastChat's arithmetic exactly.
  const expectedB = eloExpected(rb, ra, scale, base);
  return [ra + k * (scoreA - expectedA), rb + k * (1 - scoreA - expectedB)];
}

/** Ratings by model name, in order of first appearance. Self-battles are skipped. */
export function computeOnlineElo(battles: Iterable<BattleResult>, options: EloOptions = {}): Map<string, number> {
  const { k, scale, base, init } = withDefaults(options);
  const ratings = new Map<string, number>();
  for (const battle of battles) {
    if (battle.model_a === battle.model_b) continue; // no comparison; FastChat's update nets to zero too
    const ra = ratings.get(battle.model_a) ?? init;
    const rb = ratings.get(battle.model_b) ?? init;
    const [na, nb] = eloStep(ra, rb, scoreOfA(battle.winner), k, scale, base);
    ratings.set(battle.model_a, na);
    ratings.set(battle.model_b, nb);
  }
  return ratings;
}

/** Same as computeOnlineElo over columnar battles; result indexed like `columns.models`. */
export function onlineEloFromColumns(columns: BattleColumns, options: EloOptions = {}): Float64Array {
  const { k, scale, base, init } = withDefaults(options);
  const ratings = new Float64Array(columns.models.length).fill(init);
  for (let i = 0; i < columns.length; i++) {
    const a = columns.modelA[i]!;
    const b = columns.modelB[i]!;
    if (a === b) continue;
    const code = columns.outcome[i]!;
    const scoreA = code === OUTCOME_CODE.model_a ? 1 : code === OUTCOME_CODE.model_b ? 0 : 0.5;
    // Inlined eloStep: no tuple per battle on the 10M-battle path.
    const ra = ratings[a]!;
    const rb = ratings[b]!;
    ratings[a] = ra + k * (scoreA - 1 / (1 + base ** ((rb - ra) / scale)));
    ratings[b] = rb + k * (1 - scoreA - 1 / (1 + base ** ((ra - rb) / scale)));
  }
  return ratings;
}

/** A model's online Elo with its record, as the live standings keep it. */
export interface EloRecord {
  rating: number;
  games: number;
  wins: number;
  losses: number;
  ties: number;
}

export const INITIAL_RATING = 1000;

export const newEloRecord = (): EloRecord => ({ rating: INITIAL_RATING, games: 0, wins: 0, losses: 0, ties: 0 });

/**
 * Both models' records after one game in which A scored `scoreA`: the online update the server
 * applies per vote and the recompute replays over every vote, so the two can never disagree.
 */
export function recordGame(a: EloRecord, b: EloRecord, scoreA: number, k: number): [EloRecord, EloRecord] {
  const [ra, rb] = eloUpdate(a.rating, b.rating, scoreA, k);
  const next = (r: EloRecord, rating: number, score: number): EloRecord => ({
    rating,
    games: r.games + 1,
    wins: r.wins + (score === 1 ? 1 : 0),
    losses: r.losses + (score === 0 ? 1 : 0),
    ties: r.ties + (score === 0.5 ? 1 : 0),
  });
  return [next(a, ra, scoreA), next(b, rb, 1 - scoreA)];
}
