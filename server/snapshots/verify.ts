/**
 * Checks a published snapshot against an export (pure): the votes its view selects are hashed and
 * the standings recomputed with the snapshot's own method, seed, Elo step and vote threshold, then
 * every published number is confirmed or refuted.
 */
import type { Snapshot, StandingsEntry } from '../../protocol/standings.ts';
import type { BattleRecord } from '../interop/battle-record.ts';
import { type CanonicalVote, canonicalVote, votesHash, votesOfView } from './canonical.ts';
import { computeStandings, type ModelFacts } from './compute.ts';

export interface Check {
  what: string;
  published: unknown;
  recomputed: unknown;
  ok: boolean;
}

export interface Verification {
  checks: Check[];
  refuted: number;
  /** Votes in the export, and how many of them the snapshot's view selects. */
  read: number;
  used: number;
}

/** Ratings are published to 0.01 and shares to 0.0001: a difference below that is rounding, not a different result. */
const RATING_TOLERANCE = 0.0100001;
const SHARE_TOLERANCE = 0.000100001;

function same(a: unknown, b: unknown, tolerance: number): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= tolerance;
  return a === b || (a === undefined && b === null) || (a === null && b === undefined);
}

export function verifySnapshot(snapshot: Snapshot, records: Iterable<BattleRecord>): Verification {
  const all: CanonicalVote[] = [];
  for (const record of records) all.push(canonicalVote(record));
  const used = votesOfView(all, snapshot.view);
  const published = snapshot.standings;
  const entries = [...published.models, ...published.provisional];
  const facts = new Map(entries.map((m) => [m.id, m]));
  const describe = (id: string, fileName: string): ModelFacts => {
    const m = facts.get(id);
    return {
      name: m?.name ?? fileName,
      demo: m?.demo ?? false,
      organization: m?.organization ?? null,
      license: m?.license ?? null,
      deprecated: m?.deprecated ?? false,
    };
  };
  const recomputed = computeStandings(
    used,
    {
      view: snapshot.view,
      minVotes: published.minVotes,
      // Published before the sampler was named: drawn by the chain of binomials.
      bootstrap: snapshot.bootstrap && { ...snapshot.bootstrap, sampler: published.bootstrap?.sampler ?? 'chain' },
      eloK: snapshot.eloK,
      // Snapshots published before these existed have neither: the bootstrap, no deduplication.
      ...(published.intervals && {
        intervals: { method: published.intervals.method, clustered: published.intervals.clustered, priorSd: published.intervals.prior?.sd ?? null },
      }),
      dedupTopShare: published.promptDedup?.topShare ?? 0,
    },
    describe,
    published.computedAt,
  );

  const checks: Check[] = [];
  const check = (what: string, a: unknown, b: unknown, tolerance = 0) => checks.push({ what, published: a, recomputed: b, ok: same(a, b, tolerance) });
  check('votes', snapshot.votes, used.length);
  check('votesHash', snapshot.votesHash, votesHash(used));
  check('converged', published.converged, recomputed.converged);
  check('componentCount', published.componentCount, recomputed.componentCount);

  const listOf = (s: typeof published) =>
    new Map<string, { entry: StandingsEntry; list: string }>([
      ...s.models.map((entry) => [entry.id, { entry, list: 'rated' }] as const),
      ...s.provisional.map((entry) => [entry.id, { entry, list: 'provisional' }] as const),
    ]);
  const mine = listOf(published);
  const theirs = listOf(recomputed);
  for (const [id, { entry: p, list }] of mine) {
    const r = theirs.get(id);
    check(`${id} listed`, list, r?.list ?? 'absent');
    if (!r) continue;
    const e = r.entry;
    check(`${id} rating`, p.rating, e.rating, RATING_TOLERANCE);
    check(`${id} ci.lower`, p.ci?.lower ?? null, e.ci?.lower ?? null, RATING_TOLERANCE);
    check(`${id} ci.median`, p.ci?.median ?? null, e.ci?.median ?? null, RATING_TOLERANCE);
    check(`${id} ci.upper`, p.ci?.upper ?? null, e.ci?.upper ?? null, RATING_TOLERANCE);
    check(`${id} rankUB`, p.rankUB, e.rankUB);
    for (const field of ['battles', 'wins', 'losses', 'ties'] as const) check(`${id} ${field}`, p[field], e[field]);
    check(`${id} elo`, p.elo, e.elo, RATING_TOLERANCE);
    check(`${id} winRate`, p.winRate, e.winRate, SHARE_TOLERANCE);
    check(`${id} separated`, p.separated, e.separated);
  }
  for (const id of theirs.keys()) if (!mine.has(id)) check(`${id} listed`, 'absent', theirs.get(id)!.list);

  const at = (s: typeof published) => new Map(s.pairs.models.map((id, i) => [id, i]));
  const pi = at(published);
  const ri = at(recomputed);
  for (const table of ['battles', 'predicted', 'observed'] as const) {
    const tolerance = table === 'battles' ? 0 : SHARE_TOLERANCE;
    for (const [a, i] of pi) {
      for (const [b, j] of pi) {
        if (a === b) continue;
        const x = ri.get(a);
        const y = ri.get(b);
        const value = x === undefined || y === undefined ? 'absent' : recomputed.pairs[table][x]![y]!;
        check(`pairs.${table} ${a} vs ${b}`, published.pairs[table][i]![j]!, value, tolerance);
      }
    }
  }
  return { checks, refuted: checks.filter((c) => !c.ok).length, read: all.length, used: used.length };
}
