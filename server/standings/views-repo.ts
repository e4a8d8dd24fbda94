/**
 * The votes of a standings view, read with plain SQL on the raw connection (the worker's own
 * read-only one, or the server's): a category's votes through the `vote_categories` index, so a
 * fit on one category touches only its votes. Which votes are public is the rule of
 * ratings-repo.ts: counted arena votes, and the votes of evaluations that count in public.
 */
import type { Sqlite } from '../../db/client.ts';
import { BUILT_IN_CATEGORIES, type CategoryId, type CategorySummary } from '../../protocol/standings.ts';
import type { Winner } from '../../protocol/types.ts';
import type { StyleCounts } from '../ratings/style-features.ts';
import type { FitVote } from './fit-votes.ts';
import { PairCountsRepo } from './pair-counts-repo.ts';
import { PROMPT_OF_VOTE, UNKNOWN_VOTER } from './ratings-repo.ts';
import { SOURCE_CODE } from './vote-categories-repo.ts';

/** Which votes a view is made of. */
export interface VoteFilter {
  /** A category id (`all` for every vote). */
  category: string;
  /** `blind`: the public standings (counted votes); `all`: flagged and named arena votes too. */
  votes: 'blind' | 'all';
  /** First vote time included (epoch ms), or null. */
  from: number | null;
  /** First vote time excluded (epoch ms), or null. */
  to: number | null;
}

export type ViewVote = [modelA: string, modelB: string, winner: Winner, createdAt: number];

const DAY_MS = 86_400_000;

/** A view's dates (UTC days, both included) as a filter's time bounds. */
export function timeBounds(from: string | undefined, to: string | undefined): { from: number | null; to: number | null } {
  return { from: from ? Date.parse(`${from}T00:00:00Z`) : null, to: to ? Date.parse(`${to}T00:00:00Z`) + DAY_MS : null };
}

/** True when a vote with these properties is one of the filter's votes. */
export function filterHolds(
  filter: VoteFilter,
  vote: { categories: readonly CategoryId[]; visibility: 'public' | 'flagged' | 'private'; at: number },
): boolean {
  if (vote.visibility === 'private' || (filter.votes === 'blind' && vote.visibility !== 'public')) return false;
  if (filter.category !== 'all' && !(vote.categories as readonly string[]).includes(filter.category)) return false;
  return (filter.from === null || vote.at >= filter.from) && (filter.to === null || vote.at < filter.to);
}

const where = (terms: string[]) => (terms.length > 0 ? ` WHERE ${terms.join(' AND ')}` : '');

/** Both sides' style as JSON `[tokens, headers, listItems, bold, answers without style]`, per source. */
const STYLE_OF = {
  arena: (side: 'a' | 'b') =>
    `(SELECT json_array(sum(s.style_tokens), sum(s.style_headers), sum(s.style_list_items), sum(s.style_bold), count(*) - count(s.style_tokens))
      FROM answers s WHERE s.battle_id = v.battle_id AND s.side = '${side}')`,
  evaluation: (g: string) =>
    `json_array(${g}.style_tokens, ${g}.style_headers, ${g}.style_list_items, ${g}.style_bold, CASE WHEN ${g}.style_tokens IS NULL THEN 1 ELSE 0 END)`,
};

/**
 * The filter's votes as one SELECT (model_a, model_b, winner, created_at, source, id, voter_id,
 * prompt_hash, and with `style` each side's style) and its parameters.
 */
function viewQuery(filter: VoteFilter, opts: FitColumns = {}): { sql: string; params: Record<string, string | number> } {
  const params: Record<string, string | number> = {};
  const byCategory = filter.category !== 'all';
  if (byCategory) params.category = filter.category;
  const dated: string[] = [];
  if (filter.from !== null) {
    params.from = filter.from;
    dated.push('v.created_at >= @from');
  }
  if (filter.to !== null) {
    params.to = filter.to;
    dated.push('v.created_at < @to');
  }
  const table = (name: string, source: number) => (byCategory ? `vote_categories c JOIN ${name} v ON v.id = c.vote_id AND c.source = ${source}` : `${name} v`);
  const categoryTerm = byCategory ? ['c.category = @category'] : [];
  const arena = [...categoryTerm, ...(filter.votes === 'blind' ? ['v.counted = 1'] : []), ...dated];
  const evaluation = [...categoryTerm, 'e.count_in_public = 1', ...dated];
  const columns = 'v.model_a, v.model_b, v.winner, v.created_at';
  const arenaStyle = opts.style ? `, ${STYLE_OF.arena('a')} AS style_a, ${STYLE_OF.arena('b')} AS style_b` : '';
  const evaluationStyle = opts.style ? `, ${STYLE_OF.evaluation('ga')} AS style_a, ${STYLE_OF.evaluation('gb')} AS style_b` : '';
  const generations = opts.style
    ? ` LEFT JOIN eval_items i ON i.id = v.item_id
        LEFT JOIN eval_generations ga ON ga.prompt_id = i.prompt_id AND ga.model_id = v.model_a
        LEFT JOIN eval_generations gb ON gb.prompt_id = i.prompt_id AND gb.model_id = v.model_b`
    : '';
  // Imported votes without a judge have unknown voters: one cluster each, never one for all.
  const voter = opts.voters ? `NULLIF(v.voter_id, '${UNKNOWN_VOTER}')` : 'NULL';
  const prompt = opts.prompts ? PROMPT_OF_VOTE : 'NULL';
  const sql = `SELECT ${columns}, ${SOURCE_CODE.arena} AS source, v.id, ${voter} AS voter_id, ${prompt} AS prompt${arenaStyle}
    FROM ${table('votes', SOURCE_CODE.arena)}${where(arena)}
    UNION ALL
    SELECT ${columns}, ${SOURCE_CODE.evaluation} AS source, v.id, ${opts.voters ? 'v.voter_id' : 'NULL'} AS voter_id, NULL AS prompt${evaluationStyle}
    FROM ${table('eval_votes', SOURCE_CODE.evaluation)} JOIN evaluations e ON e.id = v.evaluation_id${generations}${where(evaluation)}`;
  return { sql, params };
}

/** The filter's votes in the order online Elo applies them: vote time, then arena before evaluation, then insertion. */
export function viewVotesInOrder(sqlite: Sqlite, filter: VoteFilter): IterableIterator<ViewVote> {
  const { sql, params } = viewQuery(filter);
  return sqlite
    .prepare(`SELECT model_a, model_b, winner, created_at FROM (${sql}) ORDER BY created_at, source, id`)
    .raw()
    .iterate(params) as IterableIterator<ViewVote>;
}

type StyleJson = string | null;

function styleOf(json: StyleJson): StyleCounts | null {
  if (json === null) return null;
  const [tokens, headers, listItems, bold, missing] = JSON.parse(json) as Array<number | null>;
  if (missing !== 0 || tokens === null || tokens === undefined) return null;
  return { tokens, headers: headers ?? 0, listItems: listItems ?? 0, bold: bold ?? 0 };
}

/** What a fit reads besides the pair and outcome: voters (clusters), prompts (deduplication), both sides' style. */
export interface FitColumns {
  voters?: boolean | undefined;
  prompts?: boolean | undefined;
  style?: boolean | undefined;
}

/** The filter's votes in vote order as a fit reads them: voter, prompt and both sides' style as asked. */
export function viewFitVotes(sqlite: Sqlite, filter: VoteFilter, opts: FitColumns = {}): IterableIterator<FitVote> {
  const { sql, params } = viewQuery(filter, opts);
  const style = opts.style ? ', style_a, style_b' : '';
  const rows = sqlite
    .prepare(`SELECT model_a, model_b, winner, voter_id, prompt${style} FROM (${sql}) ORDER BY created_at, source, id`)
    .raw()
    .iterate(params) as IterableIterator<[string, string, Winner, string | null, string | null, StyleJson?, StyleJson?]>;
  return (function* () {
    for (const [modelA, modelB, winner, voter, prompt, a, b] of rows) {
      const sides = opts.style ? { a: styleOf(a ?? null), b: styleOf(b ?? null) } : null;
      yield { modelA, modelB, winner, voter, prompt, style: sides?.a && sides.b ? { a: sides.a, b: sides.b } : null };
    }
  })();
}

/** Votes per category (built-in ones always listed, tags when they have votes), `all` first. */
export function categorySummary(sqlite: Sqlite, votes: VoteFilter['votes']): CategorySummary[] {
  // The public (blind) votes are counted already; any other kind is counted here.
  const counted = votes === 'blind' ? (new PairCountsRepo(sqlite).totalsByCategory() as Array<[CategoryId, number]>) : countByCategory(sqlite, votes);
  const counts = new Map<CategoryId, number>(counted);
  const tags = [...counts.keys()].filter((id) => id.startsWith('tag:')).sort();
  return [
    { id: 'all', votes: counts.get('all') ?? 0 },
    ...BUILT_IN_CATEGORIES.filter((id) => id !== 'all').map((id) => ({ id, votes: counts.get(id) ?? 0 })),
    ...tags.map((id) => ({ id, votes: counts.get(id)! })),
  ];
}

function countByCategory(sqlite: Sqlite, votes: VoteFilter['votes']): Array<[CategoryId, number]> {
  const { sql, params } = viewQuery({ category: 'all', votes, from: null, to: null });
  const all = (sqlite.prepare(`SELECT count(*) AS n FROM (${sql})`).get(params) as { n: number }).n;
  const rows = sqlite
    .prepare(
      `SELECT category, sum(n) AS n FROM (
         SELECT c.category, count(*) AS n FROM vote_categories c JOIN votes v ON v.id = c.vote_id
         WHERE c.source = ${SOURCE_CODE.arena}${votes === 'blind' ? ' AND v.counted = 1' : ''} GROUP BY c.category
         UNION ALL
         SELECT c.category, count(*) AS n FROM vote_categories c JOIN eval_votes v ON v.id = c.vote_id JOIN evaluations e ON e.id = v.evaluation_id
         WHERE c.source = ${SOURCE_CODE.evaluation} AND e.count_in_public = 1 GROUP BY c.category
       ) GROUP BY category`,
    )
    .raw()
    .all() as Array<[CategoryId, number]>;
  return [['all', all], ...rows];
}
