/**
 * `arena ratings` when a vote-level fit is asked for (--ci sandwich|fisher, --cluster, --dedup,
 * --style-control): the file's votes are kept one by one (voter, prompt, both answers' style, read
 * from `conversation_a`/`conversation_b`) and fitted as the server fits its standings
 * (server/standings/public-fit.ts). The default bootstrap streams counts instead (ratings.ts).
 */

import type { StyleControlSummary } from '../../protocol/standings.ts';
import type { IntervalsUsed, PromptDedupSummary } from '../../protocol/types.ts';
import type { BattleRecord, ConversationMessage } from '../interop/battle-record.ts';
import { dbWinnerFromOutcome } from '../ratings/outcomes.ts';
import type { RatingMethod, RatingsLeaderboard } from '../ratings/summary.ts';
import { answerStyle } from '../standings/answer-style.ts';
import type { IntervalChoice } from '../standings/fit-methods.ts';
import { type FitVote, fitVotesOf } from '../standings/fit-votes.ts';
import { promptHash } from '../standings/prompt-hash.ts';
import { fitPublic } from '../standings/public-fit.ts';

/** The leaderboard the CLI prints: the engine's, and what the interval method, style control and deduplication add. */
export interface CliBoard extends RatingsLeaderboard {
  intervals: IntervalsUsed | null;
  style: StyleControlSummary | null;
  promptDedup: PromptDedupSummary | null;
}

export interface VoteFitArgs {
  method: RatingMethod;
  bootstrap: number;
  seed: number;
  intervals: IntervalChoice;
  /** Record field whose value is the voter (e.g. `judge`), for clustered sandwich intervals. */
  cluster: string | null;
  /** Prompt deduplication's top share; 0: off. */
  dedup: number;
  styleControl: boolean;
  minBattles: number;
}

const text = (content: ConversationMessage['content']) => (typeof content === 'string' ? content : JSON.stringify(content));
const messages = (conversation: ConversationMessage[] | undefined, role: string) =>
  (conversation ?? []).filter((m) => m.role === role).map((m) => text(m.content));

/** One record as a fit reads it. */
export function fitVoteOf(record: BattleRecord, args: Pick<VoteFitArgs, 'cluster' | 'dedup' | 'styleControl'>): FitVote {
  const voter = args.cluster === null ? undefined : record[args.cluster];
  const prompts = messages(record.conversation_a, 'user');
  const a = messages(record.conversation_a, 'assistant');
  const b = messages(record.conversation_b, 'assistant');
  return {
    modelA: record.model_a,
    modelB: record.model_b,
    winner: dbWinnerFromOutcome(record.winner),
    voter: voter === undefined || voter === null ? null : String(voter),
    // Evaluation votes judge one prompt set many times on purpose: never deduplicated (as in the server).
    prompt: args.dedup > 0 && record.evaluation_id === undefined ? promptHash(prompts) : null,
    style: args.styleControl && record.conversation_a && record.conversation_b ? { a: answerStyle(a), b: answerStyle(b) } : null,
  };
}

/** `--min-battles`: models with fewer battles, and every battle involving one, are dropped (one pass, as for the columns). */
function dropSparse(votes: FitVote[], minBattles: number): FitVote[] {
  if (minBattles <= 0) return votes;
  const totals = new Map<string, number>();
  for (const v of votes) for (const id of [v.modelA, v.modelB]) totals.set(id, (totals.get(id) ?? 0) + 1);
  return votes.filter((v) => totals.get(v.modelA)! >= minBattles && totals.get(v.modelB)! >= minBattles);
}

export function rankVotes(records: FitVote[], args: VoteFitArgs): CliBoard | null {
  const votes = dropSparse(records, args.minBattles);
  if (votes.length === 0) return null;
  const fit = fitPublic(fitVotesOf(votes, { style: args.styleControl }), {
    intervals: args.intervals,
    bootstrap: args.bootstrap,
    seed: args.seed,
    dedupTopShare: args.dedup,
    styleControl: args.styleControl,
    eloK: 4,
  });
  if (fit.votes === 0) return null;
  const separated = fit.models.filter((m) => m.separated).map((m) => m.id);
  return {
    battles: fit.votes,
    method: args.method,
    converged: fit.converged,
    iterations: null,
    gradNorm: null,
    componentCount: fit.componentCount,
    separatedModels: separated,
    warnings: fit.warnings,
    bootstrap: fit.bootstrap && { ...fit.bootstrap, nonConverged: fit.bootstrapFailures },
    models: fit.models.map((m) => ({
      model: m.id,
      rating: m.rating,
      ci: m.ci,
      rankUB: m.rankUB,
      battles: m.battles,
      wins: m.wins,
      losses: m.losses,
      ties: m.ties,
      elo: args.method === 'both' ? m.elo : null,
    })),
    neighbours: fit.neighbours,
    intervals: fit.intervals,
    style: fit.style,
    promptDedup: fit.promptDedup,
  };
}
