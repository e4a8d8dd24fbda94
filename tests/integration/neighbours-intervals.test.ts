/**
 * Neighbour resolution and the interval methods, end to end: the Bradley-Terry standings over HTTP
 * (`/api/leaderboard?method=bt`, `/api/standings`), the `leaderboard:bt` push and `arena ratings`
 * carry `neighbours` from the same resamples or covariance as their intervals, and say which
 * interval method and prior they used; `ci` picks bootstrap, sandwich (clustered or not) or fisher.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Standings } from '../../protocol/standings.ts';
import type { BtLeaderboard, NeighbourResolution } from '../../protocol/types.ts';
import { runRatingsCli } from '../../server/cli/ratings.ts';
import type { ModelConfigInput } from '../../server/models/config.ts';
import { useTempDir } from '../support/hooks.ts';
import { plantVotes, seeded, simulateVotes } from '../support/plant-votes.ts';
import { getStandings } from '../support/standings.ts';
import { playBattle, useSharedServer } from '../support/test-server.ts';

const STRENGTHS = { 'm-top': 1350, 'm-high': 1150, 'm-mid': 1000, 'm-twin': 1000, 'm-low': 700 };
const models: ModelConfigInput[] = [...Object.keys(STRENGTHS), 'm-new'].map((id) => ({ id, name: id.toUpperCase(), provider: 'demo', tokensPerSecond: 0 }));
const server = useSharedServer({ models, deps: { btIntervalMs: 0 } });
const dir = useTempDir('neighbours-');

const random = seeded(14);
// m-new is rated between m-high and m-mid but has only 6 votes: provisional under the default threshold (20).
const votes = [
  ...simulateVotes(STRENGTHS, 900, random),
  ...simulateVotes({ 'm-new': 1075, 'm-high': 1150, 'm-mid': 1000 }, 6, random, [
    ['m-new', 'm-high'],
    ['m-new', 'm-mid'],
  ]),
].map((v, k) => ({ ...v, voter: `voter-${k % 17}` }));

async function leaderboard(): Promise<BtLeaderboard> {
  return (await (await fetch(`${server.url}/api/leaderboard?method=bt`)).json()) as BtLeaderboard;
}

/** Neighbours are the adjacent rows of `models`, and `separated` is what their interval says. */
function expectAdjacent(neighbours: readonly NeighbourResolution[], ids: readonly string[]): void {
  expect(neighbours.map((n) => [n.above, n.below])).toEqual(ids.slice(1).map((id, k) => [ids[k], id]));
  for (const n of neighbours) {
    expect(n.diff.lower).toBeLessThanOrEqual(n.diff.upper);
    expect(n.separated).toBe(n.diff.lower > 0);
    if (n.separated) expect(n.votesToSeparate).toBe(0);
    else expect(n.votesToSeparate === null || n.votesToSeparate > 0).toBe(true);
  }
}

/** Model-based intervals: each difference is centred on the rating difference, and no wider than the two intervals together. */
function expectFromCovariance(standings: Pick<Standings, 'models' | 'neighbours'>): void {
  const byId = new Map(standings.models.map((m) => [m.id, m]));
  for (const n of standings.neighbours) {
    const a = byId.get(n.above)!;
    const b = byId.get(n.below)!;
    expect((n.diff.lower + n.diff.upper) / 2).toBeCloseTo(a.rating - b.rating, 1);
    const halves = (a.ci!.upper - a.ci!.lower) / 2 + (b.ci!.upper - b.ci!.lower) / 2;
    expect((n.diff.upper - n.diff.lower) / 2).toBeLessThanOrEqual(halves + 0.02);
  }
}

beforeAll(() => plantVotes(server.app.db.$client, votes));

describe('neighbours and interval methods', () => {
  it('GET /api/leaderboard?method=bt resolves every pair of neighbours from the bootstrap resamples', async () => {
    const bt = await leaderboard();
    expect(bt.votes).toBe(votes.length);
    expect(bt.intervals).toEqual({ method: 'bootstrap', clustered: false, prior: null });
    expect(bt.bootstrap).toEqual({ rounds: 100, seed: 1 });
    expectAdjacent(
      bt.neighbours,
      bt.models.map((m) => m.id),
    );
    const pair = (above: string) => bt.neighbours.find((n) => n.above === above)!;
    // 1350 vs 1150 over ~90 direct votes is told apart; two equally strong models are not, and need many more votes.
    expect(pair('m-top')).toMatchObject({ below: 'm-high', separated: true, votesToSeparate: 0 });
    const twins = bt.neighbours.find((n) => new Set([n.above, n.below]).has('m-twin') && new Set([n.above, n.below]).has('m-mid'))!;
    expect(twins.separated).toBe(false);
    expect(twins.diff.lower).toBeLessThan(0);
    // The resampled difference brackets the rating difference.
    for (const n of bt.neighbours) {
      const d = bt.models.find((m) => m.id === n.above)!.rating - bt.models.find((m) => m.id === n.below)!.rating;
      expect(n.diff.lower).toBeLessThanOrEqual(d + 0.01);
      expect(n.diff.upper).toBeGreaterThanOrEqual(d - 0.01);
    }
  });

  it('the standings views resolve neighbours among the rated models they list, provisional ones apart', async () => {
    const standings = await getStandings(server, { method: 'bt' });
    expect(standings.provisional.map((m) => m.id)).toEqual(['m-new']);
    expect(standings.intervals).toEqual({ method: 'bootstrap', clustered: false, prior: null });
    expectAdjacent(
      standings.neighbours,
      standings.models.map((m) => m.id),
    );
    // With every model listed, the view's neighbours are the leaderboard's.
    const all = await getStandings(server, { method: 'bt', minVotes: 0 });
    expect(all.neighbours).toEqual((await leaderboard()).neighbours);
    expect(all.neighbours).toHaveLength(5);
    expect(standings.neighbours).toHaveLength(4);
    // An Elo view has no intervals, so no neighbours.
    const elo = await getStandings(server, { method: 'elo' });
    expect(elo).toMatchObject({ intervals: null, neighbours: [] });
  });

  it('ci picks sandwich (with the prior, optionally clustered by voter) or model-based intervals', async () => {
    const sandwich = await getStandings(server, { method: 'bt', ci: 'sandwich' });
    expect(sandwich.intervals).toEqual({ method: 'sandwich', clustered: false, prior: { sd: 400 } });
    expect(sandwich.bootstrap).toBeNull();
    expectAdjacent(
      sandwich.neighbours,
      sandwich.models.map((m) => m.id),
    );
    expectFromCovariance(sandwich);
    // The view echoes itself; the method is in `intervals`.
    expect(sandwich.view).not.toHaveProperty('ci');

    const clustered = await getStandings(server, { method: 'bt', ci: 'sandwich', clustered: '1' });
    expect(clustered.intervals).toEqual({ method: 'sandwich', clustered: true, prior: { sd: 400 } });
    expect(clustered.models.map((m) => m.rating)).toEqual(sandwich.models.map((m) => m.rating));
    expect(clustered.models.map((m) => m.ci)).not.toEqual(sandwich.models.map((m) => m.ci));

    const fisher = await getStandings(server, { method: 'bt', ci: 'fisher' });
    expect(fisher.intervals).toEqual({ method: 'fisher', clustered: false, prior: { sd: 400 } });
    expectFromCovariance(fisher);
    // Same fit (the prior), different covariance. The bootstrap's ratings are the unpenalized MLE:
    // centred with a 6-vote model that the prior pulls in, so compare differences; at ~360 votes a
    // model the prior moves a 640-point gap by a few points.
    expect(fisher.models.map((m) => m.rating)).toEqual(sandwich.models.map((m) => m.rating));
    const bootstrap = await getStandings(server, { method: 'bt' });
    const gap = (list: Standings['models'], id: string) => list.find((m) => m.id === 'm-top')!.rating - list.find((m) => m.id === id)!.rating;
    for (const m of fisher.models) expect(Math.abs(gap(fisher.models, m.id) - gap(bootstrap.models, m.id))).toBeLessThan(6);

    const bad = await fetch(`${server.url}/api/standings?method=bt&ci=jackknife`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { field: string } }).error.field).toBe('ci');
  });

  it('`leaderboard:bt` pushes the neighbours with the standings', async () => {
    const socket = await server.connect();
    const pushed = new Promise<BtLeaderboard>((resolve) => socket.once('leaderboard:bt', ({ leaderboard }) => resolve(leaderboard)));
    expect((await socket.emitWithAck('leaderboard:subscribe', {})).ok).toBe(true);
    const battleId = await playBattle(socket, 'one more question for the push');
    expect((await socket.emitWithAck('battle:vote', { battleId, winner: 'tie' })).ok).toBe(true);
    const board = await pushed;
    expect(board.votes).toBe(votes.length + 1);
    expectAdjacent(
      board.neighbours,
      board.models.map((m) => m.id),
    );
    expect(board.intervals.method).toBe('bootstrap');
  });

  it('`arena ratings` prints the same neighbours for the same votes, and sandwich ones with --ci', async () => {
    const file = path.join(dir, 'votes.jsonl');
    const winner = { a: 'model_a', b: 'model_b', tie: 'tie', bothbad: 'tie (bothbad)' } as const;
    await writeFile(file, votes.map((v) => JSON.stringify({ model_a: v.a, model_b: v.b, winner: winner[v.winner], judge: v.voter })).join('\n'));
    const run = async (argv: string[]) => {
      let stdout = '';
      const code = await runRatingsCli([...argv, '--format', 'json'], { stdout: { write: (t) => (stdout += t) }, stderr: { write: () => undefined } });
      expect(code).toBe(0);
      return JSON.parse(stdout) as { neighbours: NeighbourResolution[]; intervals: unknown; models: Array<{ model: string; rating: number }> };
    };
    const cli = await run(['--battles', file, '--method', 'bt']);
    const expected = (await getStandings(server, { method: 'bt', minVotes: 0, to: '2023-12-31' })).neighbours;
    expect(cli.neighbours.map((n) => [n.above, n.below, n.separated, n.votesToSeparate])).toEqual(
      expected.map((n) => [n.above, n.below, n.separated, n.votesToSeparate]),
    );
    cli.neighbours.forEach((n, k) => {
      expect(n.diff.lower).toBeCloseTo(expected[k]!.diff.lower, 1);
      expect(n.diff.upper).toBeCloseTo(expected[k]!.diff.upper, 1);
    });
    const sandwich = await run(['--battles', file, '--method', 'bt', '--ci', 'sandwich']);
    expect(sandwich.intervals).toEqual({ method: 'sandwich', clustered: false, prior: { sd: 400 } });
    const view = await getStandings(server, { method: 'bt', minVotes: 0, to: '2023-12-31', ci: 'sandwich' });
    expect(sandwich.neighbours).toEqual(view.neighbours);
    const clustered = await run(['--battles', file, '--method', 'bt', '--ci', 'sandwich', '--cluster', 'judge']);
    expect(clustered.neighbours).toEqual(
      (await getStandings(server, { method: 'bt', minVotes: 0, to: '2023-12-31', ci: 'sandwich', clustered: '1' })).neighbours,
    );
  });
});
