/**
 * A fixed Standings value for the unit tests of the page's pure code (sorting, notices, chart
 * data, the state class over a fake socket), shaped by protocol/standings.ts: four rated models
 * (one named in Hangul, one a demo without pricing), a provisional one, a deprecated one shown only
 * on request, and another order for `coding`. The demo model's name carries markup. `round` moves
 * the numbers on, as a new vote would. The browser tests use the real server instead
 * (tests/e2e/standings-page.test.ts on a seeded database).
 */
import type { CategorySummary, RatingHistoryPoint, Standings, StandingsEntry, StandingsView } from '../../../protocol/standings.ts';

export const HOSTILE_NAME = 'Rock Mini <img src=x onerror="window.pwned=1">';

interface Row {
  id: string;
  name: string;
  organization: string | null;
  license: string | null;
  demo?: boolean;
  deprecated?: boolean;
  rating: number;
  battles: number;
  /** Median cost of one answer, USD; null without pricing. */
  cost: number | null;
  tokensPerSecond: number;
  ttftMs: number;
  latencyMs: number;
}

const ROWS: Row[] = [
  {
    id: 'm-sol',
    name: 'Sol Large',
    organization: 'Solar Labs',
    license: 'Apache-2.0',
    rating: 1105,
    battles: 220,
    cost: 0.0042,
    tokensPerSecond: 85,
    ttftMs: 420,
    latencyMs: 3100,
  },
  {
    id: 'm-haneul',
    name: '하늘 7B',
    organization: '서울 AI',
    license: 'MIT',
    rating: 1060,
    battles: 180,
    cost: 0.0009,
    tokensPerSecond: 140,
    ttftMs: 250,
    latencyMs: 1900,
  },
  {
    id: 'm-wave',
    name: 'Wave Pro',
    organization: 'Wave',
    license: 'proprietary',
    rating: 1010,
    battles: 150,
    cost: 0.0065,
    tokensPerSecond: 60,
    ttftMs: 600,
    latencyMs: 4200,
  },
  {
    id: 'm-rock',
    // Names are untrusted text: this one must show as written, markup and all, never run.
    name: HOSTILE_NAME,
    organization: null,
    license: null,
    demo: true,
    rating: 930,
    battles: 90,
    cost: null,
    tokensPerSecond: 210,
    ttftMs: 90,
    latencyMs: 800,
  },
];
const OLD: Row = {
  id: 'm-old',
  name: 'Old Timer',
  organization: 'Solar Labs',
  license: 'MIT',
  deprecated: true,
  rating: 990,
  battles: 140,
  cost: 0.002,
  tokensPerSecond: 50,
  ttftMs: 700,
  latencyMs: 5000,
};
const NEW: Row = {
  id: 'm-new',
  name: 'Newcomer 1',
  organization: 'Fresh',
  license: 'MIT',
  rating: 1000,
  battles: 4,
  cost: 0.001,
  tokensPerSecond: 100,
  ttftMs: 300,
  latencyMs: 2000,
};

/** `coding`: Wave Pro first, Rock Mini left out (no coding votes). */
const CODING: Record<string, Partial<Row>> = {
  'm-wave': { rating: 1120, battles: 60 },
  'm-sol': { rating: 1070, battles: 70 },
  'm-haneul': { rating: 1010, battles: 40 },
};

export const MIN_VOTES = 20;
export const FIXTURE_CATEGORIES: CategorySummary[] = [
  { id: 'all', votes: 640 },
  { id: 'lang:ko', votes: 130 },
  { id: 'coding', votes: 85 },
  { id: 'math', votes: 12 },
];

/** The rows of a view, best first, before the threshold splits them. */
function rowsOf(view: StandingsView, round: number): Row[] {
  let rows = [...ROWS, ...(view.deprecated === '1' ? [OLD] : [])];
  if (view.category === 'coding') rows = rows.filter((r) => CODING[r.id]).map((r) => ({ ...r, ...CODING[r.id] }));
  // Each round, 하늘 7B wins 30 more votes and climbs 50 points (past Sol Large in the first).
  rows = rows.map((r) => (r.id === 'm-haneul' ? { ...r, rating: r.rating + 50 * round, battles: r.battles + 30 * round } : r));
  return [...rows, NEW].sort((a, b) => b.rating - a.rating);
}

function entry(r: Row, rankUB: number, rankChange: number | null): StandingsEntry {
  const wins = Math.round(r.battles * 0.5 + (r.rating - 1000) / 10);
  const ties = Math.round(r.battles * 0.1);
  return {
    id: r.id,
    name: r.name,
    demo: r.demo ?? false,
    organization: r.organization,
    license: r.license,
    deprecated: r.deprecated ?? false,
    rating: r.rating,
    ci: { lower: r.rating - 14, median: r.rating, upper: r.rating + 12 },
    rankUB,
    battles: r.battles,
    wins,
    losses: r.battles - wins - ties,
    ties,
    elo: r.rating - 7,
    separated: false,
    winRate: (wins + ties / 2) / r.battles,
    costPer1kAnswersUsd: r.cost === null ? null : r.cost * 1000,
    rankChange,
    speed: {
      answers: 50,
      errorRate: 0,
      medianTtftMs: r.ttftMs,
      p90TtftMs: r.ttftMs * 2,
      medianLatencyMs: r.latencyMs,
      p90LatencyMs: r.latencyMs * 2,
      medianTokensPerSecond: r.tokensPerSecond,
      medianOutputTokens: 300,
      meanCostUsd: null,
      medianCostUsd: r.cost,
    },
  };
}

/** Models no other beats on both rating and `better(other, model)`. */
function front(rows: Row[], better: (a: Row, b: Row) => boolean, has: (r: Row) => boolean): string[] {
  const shown = rows.filter(has);
  return shown.filter((m) => !shown.some((o) => o !== m && o.rating >= m.rating && better(o, m))).map((m) => m.id);
}

export function fixtureStandings(view: StandingsView, round = 0): Standings {
  const rows = rowsOf(view, round);
  const minVotes = view.minVotes ?? MIN_VOTES;
  const rated = rows.filter((r) => r.battles >= minVotes);
  const before = rowsOf(view, Math.max(0, round - 1)).filter((r) => r.battles >= minVotes);
  const placeBefore = (id: string) => before.findIndex((b) => b.id === id);
  const models = rated.map((r, i) => entry(r, i + 1, round === 0 ? 0 : placeBefore(r.id) < 0 ? null : placeBefore(r.id) - i));
  const provisional = rows.filter((r) => r.battles < minVotes).map((r) => entry(r, 0, null));
  const ids = models.map((m) => m.id);
  // Sol Large and Rock Mini never met: no observed share, 0 battles.
  const met = (a: string, b: string) => !(new Set([a, b]).has('m-sol') && new Set([a, b]).has('m-rock'));
  const cell = (i: number, j: number, value: (a: Row, b: Row) => number) => (i === j ? null : value(rated[i]!, rated[j]!));
  const p = (a: Row, b: Row) => 1 / (1 + 10 ** ((b.rating - a.rating) / 400));
  return {
    method: view.method,
    view,
    minVotes,
    computedAt: new Date(Date.UTC(2026, 11, 1, 12, 0, round)).toISOString(),
    votes: Math.round(rated.reduce((sum, r) => sum + r.battles, 0) / 2),
    stale: false,
    converged: true,
    componentCount: 1,
    notes: [],
    warnings: [],
    bootstrap: { rounds: 100, seed: 42 },
    intervals: view.method === 'bt' ? { method: 'bootstrap', clustered: false, prior: null } : null,
    models,
    provisional,
    neighbours: [],
    style: null,
    promptDedup: null,
    pairs: {
      models: ids,
      battles: ids.map((_, i) => ids.map((__, j) => cell(i, j, (a, b) => (met(a.id, b.id) ? 20 + ((a.battles + b.battles) % 17) : 0)))),
      predicted: ids.map((_, i) => ids.map((__, j) => cell(i, j, p))),
      observed: ids.map((_, i) => ids.map((__, j) => (i !== j && !met(ids[i]!, ids[j]!) ? null : cell(i, j, (a, b) => Math.round(100 * p(a, b) + 3) / 100)))),
    },
    fronts: {
      cost: front(
        rated,
        (a, b) => a.cost! <= b.cost!,
        (r) => r.cost !== null,
      ),
      tokensPerSecond: front(
        rated,
        (a, b) => a.tokensPerSecond >= b.tokensPerSecond,
        () => true,
      ),
      ttft: front(
        rated,
        (a, b) => a.ttftMs <= b.ttftMs,
        () => true,
      ),
    },
  };
}

/** Five days of Elo for every model of the view (the last one close to the current ratings). */
export function fixtureHistory(view: Pick<StandingsView, 'category'>): RatingHistoryPoint[] {
  const rows = rowsOf({ category: view.category, deprecated: '0' } as StandingsView, 0).filter((r) => r.battles >= MIN_VOTES);
  return [1, 2, 3, 4, 5].map((d) => {
    const elo = Object.fromEntries(rows.map((r, i) => [r.id, Math.round(1000 + ((r.rating - 1000) * d) / 5 + (d % 2 ? 4 : -4) * i)]));
    const order = Object.keys(elo).sort((a, b) => elo[b]! - elo[a]!);
    return { day: `2026-11-2${d}`, elo, rank: Object.fromEntries(order.map((id, i) => [id, i + 1])), votes: 100 * d };
  });
}
