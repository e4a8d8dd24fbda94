/**
 * An evaluation's results from its votes (pure): Bradley-Terry with bootstrap intervals and online
 * Elo from the ratings engine, the win-rate matrix, per-category tallies, voter agreement and
 * per-voter counts. Votes come in the order they were cast (online Elo depends on it).
 */
import type { EvalLeaderboardRow, EvaluationResults } from '../../protocol/evaluations.ts';
import type { Winner } from '../../protocol/types.ts';
import { DEFAULT_SEED } from '../ratings/bootstrap.ts';
import { columnsFromBattles, countBattles } from '../ratings/counts.ts';
import { type BattleResult, outcomeFromDbWinner } from '../ratings/outcomes.ts';
import { empiricalWinRates, modelTallies, type PairTable, pairBattleCounts } from '../ratings/summary.ts';
import { BOOTSTRAP_INTERVALS } from '../standings/bt-fit.ts';
import type { IntervalChoice } from '../standings/fit-methods.ts';
import { fitVotesOf } from '../standings/fit-votes.ts';
import { fitPublic, intervalsUsed } from '../standings/public-fit.ts';
import { type AgreementCategory, summariseAgreement } from './agreement.ts';

export interface ResultVote {
  itemId: string;
  voter: string;
  /** Shown left ("A") and right ("B") to this voter. */
  modelA: string;
  modelB: string;
  winner: Winner;
  /** The item's first model, to put every voter's judgement in one orientation. */
  itemModelX: string;
  category: string | null;
  createdAt: Date;
}

export interface ResultOptions {
  /** Every model of the pool, in display order, with names. */
  models: ReadonlyArray<{ id: string; name: string }>;
  bootstrapRounds: number;
  seed?: number;
  /** The interval method and prior (config `evaluations.intervals`); the bootstrap when absent. */
  intervals?: IntervalChoice;
  /** How a voter id is shown (emails for admins). */
  voterLabel: (voterId: string) => string;
}

/** FastChat's online Elo step, as the evaluation results always used. */
const DEFAULT_ELO_K = 4;

const finite = (x: number | null | undefined): number | null => (x !== null && x !== undefined && Number.isFinite(x) ? x : null);

export function battlesOf(votes: readonly ResultVote[]): BattleResult[] {
  return votes.map((v) => ({ model_a: v.modelA, model_b: v.modelB, winner: outcomeFromDbWinner(v.winner) }));
}

/** The judgement in the item's orientation: x = its first model preferred. */
export function agreementCategory(v: Pick<ResultVote, 'winner' | 'modelA' | 'itemModelX'>): AgreementCategory {
  if (v.winner === 'tie' || v.winner === 'bothbad') return v.winner;
  const preferred = v.winner === 'a' ? v.modelA : null;
  const xOnLeft = v.modelA === v.itemModelX;
  if (preferred !== null) return xOnLeft ? 'x' : 'y';
  return xOnLeft ? 'y' : 'x';
}

function reorder(table: PairTable, order: readonly string[]): Array<Array<number | null>> {
  const index = new Map(table.models.map((m, i) => [m, i]));
  return order.map((row) =>
    order.map((col) => {
      const i = index.get(row);
      const j = index.get(col);
      return i === undefined || j === undefined ? null : (table.values[i]![j] ?? null);
    }),
  );
}

export type ComputedResults = Omit<EvaluationResults, 'evaluationId' | 'progress' | 'judges' | 'gold' | 'judgesInStandings'>;

/**
 * `counted` are further outcomes (judge models' when the admin mixes them in) that count in the
 * leaderboard, win rates and categories, never in agreement between people or the voter list.
 */
export function computeResults(votes: readonly ResultVote[], opts: ResultOptions, counted: readonly ResultVote[] = []): ComputedResults {
  const names = new Map(opts.models.map((m) => [m.id, m.name]));
  const all = [...votes, ...counted];
  const battles = battlesOf(all);
  const rows: EvalLeaderboardRow[] = [];
  let warnings: string[] = [];
  const choice = opts.intervals ?? BOOTSTRAP_INTERVALS;
  let intervals = intervalsUsed(choice, false);
  if (battles.length > 0) {
    // The same fit as the public standings (server/standings/public-fit.ts), with Elo in vote order.
    const fit = fitPublic(fitVotesOf(all.map((v) => ({ modelA: v.modelA, modelB: v.modelB, winner: v.winner, voter: v.voter }))), {
      intervals: choice,
      bootstrap: opts.bootstrapRounds,
      seed: opts.seed ?? DEFAULT_SEED,
      dedupTopShare: 0,
      styleControl: false,
      eloK: DEFAULT_ELO_K,
    });
    warnings = fit.warnings;
    intervals = fit.intervals;
    for (const m of fit.models) {
      rows.push({
        model: m.id,
        name: names.get(m.id) ?? m.id,
        rating: finite(m.rating),
        ci: m.ci ? { lower: finite(m.ci.lower), upper: finite(m.ci.upper) } : null,
        rankUB: m.rankUB,
        elo: finite(m.elo),
        battles: m.battles,
        wins: m.wins,
        losses: m.losses,
        ties: m.ties,
      });
    }
  }
  for (const m of opts.models) {
    if (!rows.some((r) => r.model === m.id)) {
      rows.push({ model: m.id, name: m.name, rating: null, ci: null, rankUB: rows.length + 1, elo: null, battles: 0, wins: 0, losses: 0, ties: 0 });
    }
  }
  const order = rows.map((r) => r.model);
  const counts = countBattles(columnsFromBattles(battles));

  return {
    votes: all.length,
    leaderboard: { models: rows, warnings, bootstrapRounds: battles.length > 0 && intervals.method === 'bootstrap' ? opts.bootstrapRounds : 0, intervals },
    winRates: { models: order, values: reorder(empiricalWinRates(counts), order), counts: reorder(pairBattleCounts(counts), order) },
    categories: categoryTallies(all),
    agreement: summariseAgreement(votes.map((v) => ({ itemId: v.itemId, voter: opts.voterLabel(v.voter), category: agreementCategory(v) }))),
    voters: voterCounts(votes, opts.voterLabel),
  };
}

function categoryTallies(votes: readonly ResultVote[]): EvaluationResults['categories'] {
  const byCategory = new Map<string | null, ResultVote[]>();
  for (const v of votes) {
    const key = v.category;
    const list = byCategory.get(key);
    if (list) list.push(v);
    else byCategory.set(key, [v]);
  }
  return [...byCategory.entries()]
    .sort(([a], [b]) => byCategoryName(a, b))
    .map(([category, list]) => {
      const counts = countBattles(columnsFromBattles(battlesOf(list)));
      const tallies = modelTallies(counts);
      return {
        category,
        votes: list.length,
        models: counts.models
          .map((model, i) => {
            const t = tallies[i]!;
            return { model, wins: t.wins, losses: t.losses, ties: t.ties, winRate: t.wins + t.losses > 0 ? t.wins / (t.wins + t.losses) : null };
          })
          .sort((a, b) => (b.winRate ?? -1) - (a.winRate ?? -1) || a.model.localeCompare(b.model)),
      };
    });
}

/** Items without a category first, then by name. */
export function byCategoryName(a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  return a.localeCompare(b);
}

function voterCounts(votes: readonly ResultVote[], label: (voterId: string) => string): EvaluationResults['voters'] {
  const byVoter = new Map<string, { votes: number; last: Date }>();
  for (const v of votes) {
    const entry = byVoter.get(v.voter) ?? { votes: 0, last: v.createdAt };
    entry.votes++;
    if (v.createdAt > entry.last) entry.last = v.createdAt;
    byVoter.set(v.voter, entry);
  }
  return [...byVoter.entries()]
    .map(([voter, e]) => ({ voter: label(voter), votes: e.votes, lastVoteAt: e.last.toISOString() }))
    .sort((a, b) => b.votes - a.votes || a.voter.localeCompare(b.voter));
}
