/**
 * The canonical form of a vote, the same whether it is read from the database or from an
 * `arena export battles` file, and the SHA-256 over the votes a snapshot used (docs/RATINGS.md,
 * "Snapshots"). Pure: no I/O.
 */
import { createHash } from 'node:crypto';
import type { CategoryId, StandingsView } from '../../protocol/standings.ts';
import type { BattleRecord } from '../interop/battle-record.ts';
import type { BattleOutcome } from '../ratings/outcomes.ts';
import { promptHash } from '../standings/prompt-hash.ts';
import { filterHolds, timeBounds, type VoteFilter } from '../standings/views-repo.ts';

export interface CanonicalVote {
  /** The record's `question_id` (the battle id, `eval-vote-<id>` for an evaluation vote), or null. */
  id: string | null;
  /** Models as the export names them (their id, or an imported model's name from its file). */
  modelA: string;
  modelB: string;
  winner: BattleOutcome;
  /** Vote time in epoch milliseconds (`tstamp` × 1000, rounded), or null without a `tstamp`. */
  at: number | null;
  /** Cast without knowing the models and kept by the integrity rules: no `flags`, not `anony: false`. */
  blind: boolean;
  /**
   * The categories the arena filed the vote under (the export's `categories`), or null when the
   * record does not say (a FastChat file, an export older than categories). Not hashed: they
   * decide which votes a view takes, and the hash is over exactly those.
   */
  categories: readonly string[] | null;
  /**
   * Its prompt's hash for prompt deduplication (server/standings/prompt-hash.ts, from the user turns
   * of `conversation_a`), as the server stores it; '' for an evaluation vote or a record without
   * a conversation. Not part of the hashed line.
   */
  prompt: string;
}

function userTurns(record: BattleRecord): string[] {
  return (record.conversation_a ?? []).filter((m) => m.role === 'user').map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)));
}

export function canonicalVote(record: BattleRecord): CanonicalVote {
  const flags = Array.isArray(record.flags) ? record.flags : [];
  return {
    id: record.question_id === undefined ? null : String(record.question_id),
    modelA: record.model_a,
    modelB: record.model_b,
    winner: record.winner,
    at: record.tstamp === undefined ? null : Math.round(record.tstamp * 1000),
    blind: record.anony !== false && flags.length === 0,
    categories: Array.isArray(record.categories) ? record.categories.filter((c): c is string => typeof c === 'string') : null,
    prompt: record.evaluation_id === undefined ? promptHash(userTurns(record)) : '',
  };
}

/** One line of the hashed text: a JSON array, then a newline. */
export function canonicalLine(v: CanonicalVote): string {
  return `${JSON.stringify([v.id, v.modelA, v.modelB, v.winner, v.at])}\n`;
}

/** SHA-256 (hex) over the canonical lines of the votes, in the order given. */
export function votesHash(votes: Iterable<CanonicalVote>): string {
  const hash = createHash('sha256');
  for (const v of votes) hash.update(canonicalLine(v), 'utf8');
  return hash.digest('hex');
}

/** A view this code cannot reproduce from an export (yet): the field and why. */
export class UnsupportedViewError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

/**
 * The votes a view uses, in order: blind ones only for `votes: 'blind'`, vote dates from `from`
 * to `to` (UTC days, both included), the view's category, never a self-battle. The same rule as
 * the live views (server/standings/views-repo.ts `filterHolds`), so a snapshot takes the votes
 * the leaderboard showed for that view.
 */
export function votesOfView(votes: Iterable<CanonicalVote>, view: StandingsView): CanonicalVote[] {
  if (view.styleControl === '1') throw new UnsupportedViewError('view.styleControl', 'style control cannot be published as a snapshot yet');
  const filter: VoteFilter = { category: view.category, votes: view.votes, ...timeBounds(view.from, view.to) };
  const dated = filter.from !== null || filter.to !== null;
  const out: CanonicalVote[] = [];
  for (const v of votes) {
    if (v.modelA === v.modelB) continue;
    if (dated && v.at === null) continue;
    if (filter.category !== 'all' && v.categories === null) {
      throw new UnsupportedViewError(
        'view.category',
        `vote ${v.id ?? '(no id)'} does not say its categories, which a "${filter.category}" view needs: export the battles again (arena export battles writes them)`,
      );
    }
    const facts = { categories: (v.categories ?? []) as CategoryId[], visibility: v.blind ? ('public' as const) : ('flagged' as const), at: v.at ?? 0 };
    if (filterHolds(filter, facts)) out.push(v);
  }
  return out;
}
