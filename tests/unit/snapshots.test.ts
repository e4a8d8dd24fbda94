/** Snapshots, the pure parts: the canonical vote form and its hash, view filters, the standings computation, verification. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type Snapshot, standingsViewSchema } from '../../protocol/standings.ts';
import type { BattleRecord } from '../../server/interop/battle-record.ts';
import { canonicalLine, canonicalVote, UnsupportedViewError, votesHash, votesOfView } from '../../server/snapshots/canonical.ts';
import { computeStandings, type SnapshotParams } from '../../server/snapshots/compute.ts';
import { verifySnapshot } from '../../server/snapshots/verify.ts';

const view = (input: object = {}) => ({ ...standingsViewSchema.parse({ method: 'bt', ...input }), minVotes: 0 });
const T0 = Date.parse('2026-07-01T00:00:00Z') / 1000;

/** Ties on every pair keep the fit finite; more wins for the earlier letters. */
function records(): BattleRecord[] {
  const models = ['alpha', 'bravo', 'charlie', '한국 모델'];
  const out: BattleRecord[] = [];
  let k = 0;
  for (let round = 0; round < 6; round++) {
    for (let i = 0; i < models.length; i++) {
      for (let j = i + 1; j < models.length; j++) {
        const winner = round % 3 === 0 ? 'tie' : round % 3 === 1 ? 'model_a' : (i + j) % 2 === 0 ? 'model_b' : 'model_a';
        out.push({ question_id: `b${k}`, model_a: models[i]!, model_b: models[j]!, winner, tstamp: T0 + k * 7200 + 0.5, anony: true });
        k++;
      }
    }
  }
  return out;
}

describe('canonical votes', () => {
  it('is one JSON array line per vote, hashed as UTF-8 in order', () => {
    const v = canonicalVote({ question_id: 'b-1', model_a: '모델 A', model_b: 'gpt-x', winner: 'tie (bothbad)', tstamp: 1_700_000_000.1234 });
    expect(canonicalLine(v)).toBe('["b-1","모델 A","gpt-x","tie (bothbad)",1700000000123]\n');
    expect(votesHash([])).toBe(createHash('sha256').update('').digest('hex'));
    const two = [v, { ...v, id: 'b-2' }];
    expect(votesHash(two)).toBe(
      createHash('sha256')
        .update(Buffer.from(two.map(canonicalLine).join(''), 'utf8'))
        .digest('hex'),
    );
    expect(votesHash([...two].reverse())).not.toBe(votesHash(two));
    expect(canonicalVote({ model_a: 'a', model_b: 'b', winner: 'model_a', question_id: 7 })).toMatchObject({ id: '7', at: null, blind: true });
    expect(canonicalVote({ model_a: 'a', model_b: 'b', winner: 'model_a', anony: false }).blind).toBe(false);
    expect(canonicalVote({ model_a: 'a', model_b: 'b', winner: 'model_a', flags: ['too_fast'] }).blind).toBe(false);
  });

  it('selects a view’s votes: blind ones, inclusive UTC dates, never a self-battle', () => {
    const day = (d: string, extra: Partial<BattleRecord> = {}) =>
      canonicalVote({ model_a: 'a', model_b: 'b', winner: 'model_a', tstamp: Date.parse(d) / 1000, ...extra });
    const list = [
      day('2026-07-01T00:00:00Z'),
      day('2026-07-01T23:59:59.999Z', { flags: ['too_fast'] }),
      day('2026-07-02T12:00:00Z', { model_b: 'a' }),
      day('2026-07-03T00:00:00Z'),
      canonicalVote({ model_a: 'a', model_b: 'b', winner: 'tie' }),
    ];
    expect(votesOfView(list, view())).toHaveLength(3);
    expect(votesOfView(list, view({ votes: 'all' }))).toHaveLength(4);
    expect(votesOfView(list, view({ votes: 'all', from: '2026-07-01', to: '2026-07-01' }))).toEqual([list[0], list[1]]);
    expect(votesOfView(list, view({ from: '2026-07-02' }))).toEqual([list[3]]);
    // A file that does not say its votes' categories cannot select a category's votes.
    expect(() => votesOfView(list, view({ category: 'lang:ko' }))).toThrow(UnsupportedViewError);
    expect(() => votesOfView(list, view({ styleControl: '1' }))).toThrow(UnsupportedViewError);
  });

  it('selects a category’s votes by the categories the export wrote, with the other rules of the view', () => {
    const filed = (categories: string[] | undefined, extra: Partial<BattleRecord> = {}) =>
      canonicalVote({ model_a: 'a', model_b: 'b', winner: 'model_a', tstamp: Date.parse('2026-07-01T12:00:00Z') / 1000, categories, ...extra });
    const list = [filed(['lang:ko', 'coding']), filed(['lang:en']), filed(['lang:ko'], { flags: ['too_fast'] }), filed([]), filed(['tag:요리'])];
    expect(list[0]!.categories).toEqual(['lang:ko', 'coding']);
    expect(votesOfView(list, view({ category: 'lang:ko' }))).toEqual([list[0]]);
    expect(votesOfView(list, view({ category: 'lang:ko', votes: 'all' }))).toEqual([list[0], list[2]]);
    expect(votesOfView(list, view({ category: 'tag:요리' }))).toEqual([list[4]]);
    expect(votesOfView(list, view({ category: 'coding', from: '2026-07-02' }))).toEqual([]);
    // `all` needs no categories; the hash does not cover them (they choose the votes, the hash is over those).
    expect(votesOfView(list, view())).toHaveLength(4);
    expect(votesHash([filed(['lang:ko'])])).toBe(votesHash([filed(undefined)]));
  });
});

const facts = (id: string, fileName: string) => ({ name: fileName, demo: false, organization: null, license: null, deprecated: false });
const params = (over: Partial<SnapshotParams> = {}): SnapshotParams => ({ view: view(), minVotes: 0, bootstrap: { rounds: 20, seed: 3 }, eloK: 4, ...over });

describe('snapshot standings', () => {
  const votes = records().map(canonicalVote);

  /** A snapshot of `standings` published on `votes` with the params' view, seed and rounds. */
  function snapshotOf(standings: Snapshot['standings'], meta: Pick<Snapshot, 'id' | 'name' | 'createdAt'>): Snapshot {
    return {
      ...meta,
      createdBy: null,
      view: params().view,
      softwareVersion: 'arena 0.0.0',
      votesHash: votesHash(votes),
      votes: votes.length,
      bootstrap: { rounds: 20, seed: 3 },
      eloK: 4,
      standings,
    };
  }

  it('ranks by Bradley-Terry with intervals, or by online Elo, and lists models under the threshold apart', () => {
    const bt = computeStandings(votes, params(), facts, 'now');
    expect(bt).toMatchObject({ method: 'bt', votes: 36, minVotes: 0, provisional: [], bootstrap: { rounds: 20, seed: 3 }, stale: false });
    expect(bt.models.map((m) => m.id)).toEqual(['alpha', 'bravo', 'charlie', expect.stringMatching(/^model-[0-9a-f]{8}$/)]);
    expect(bt.models[3]!.name).toBe('한국 모델'); // imported names map to the same id `arena import` gives them
    for (const m of bt.models) {
      expect(m.ci!.lower).toBeLessThanOrEqual(m.rating);
      expect(m.winRate).toBe(Math.round(((m.wins + m.ties / 2) / m.battles) * 1e4) / 1e4);
      expect(m.battles).toBe(18);
    }
    expect(bt.pairs.battles[0]).toEqual([null, 6, 6, 6]);
    expect(bt.pairs.observed[0]![1]! + bt.pairs.observed[1]![0]!).toBeCloseTo(1, 6);
    expect(bt.pairs.predicted[0]![1]!).toBeGreaterThan(0.5);

    const elo = computeStandings(votes, params({ view: view({ method: 'elo' }), bootstrap: null }), facts, 'now');
    expect(elo).toMatchObject({ method: 'elo', bootstrap: null, converged: true });
    expect(elo.models.every((m) => m.ci === null && m.rating === m.elo)).toBe(true);
    expect(elo.models.map((m) => m.rating)).toEqual([...elo.models.map((m) => m.rating)].sort((a, b) => b - a));
    expect(elo.models.map((m) => m.rankUB)).toEqual([1, 2, 3, 4]);

    // Fewer votes than the threshold: listed apart, ranked among themselves only.
    const sparse = computeStandings(
      [...votes, canonicalVote({ question_id: 'x', model_a: 'alpha', model_b: 'delta', winner: 'tie', tstamp: T0 })],
      params({ minVotes: 5 }),
      facts,
      'now',
    );
    expect(sparse.provisional.map((m) => [m.id, m.rankUB])).toEqual([['delta', 1]]);
    expect(sparse.models.map((m) => m.id)).not.toContain('delta');
    expect(sparse.pairs.models).toEqual(sparse.models.map((m) => m.id));
  });

  it('is confirmed number by number on the same votes, and refuted where one differs', () => {
    const standings = computeStandings(votes, params(), facts, '2026-07-09T00:00:00.000Z');
    const snapshot = snapshotOf(standings, { id: 's1', name: 'test', createdAt: '2026-07-09T00:00:00.000Z' });
    const ok = verifySnapshot(snapshot, records());
    expect(ok.refuted).toBe(0);
    expect(ok.checks.length).toBe(4 + 4 * 13 + 3 * 12);
    expect(ok).toMatchObject({ read: 36, used: 36 });

    const tampered = structuredClone(snapshot);
    tampered.standings.models[1]!.rating += 0.5;
    tampered.standings.models[2]!.wins += 1;
    const bad = verifySnapshot(tampered, records());
    expect(bad.checks.filter((c) => !c.ok).map((c) => c.what)).toEqual([`${standings.models[1]!.id} rating`, `${standings.models[2]!.id} wins`]);
    // Rounding in the last published digit is not a difference.
    const rounded = structuredClone(snapshot);
    rounded.standings.models[0]!.rating += 0.01;
    expect(verifySnapshot(rounded, records()).refuted).toBe(0);

    const changed = records();
    changed[5]!.winner = changed[5]!.winner === 'model_a' ? 'model_b' : 'model_a';
    const refuted = verifySnapshot(snapshot, changed);
    expect(refuted.checks.find((c) => c.what === 'votesHash')!.ok).toBe(false);
    expect(refuted.refuted).toBeGreaterThan(3);
    // Another seed gives other intervals: the snapshot's own seed is what reproduces them.
    const reseeded = verifySnapshot({ ...snapshot, bootstrap: { rounds: 20, seed: 4 } }, records());
    expect(reseeded.checks.filter((c) => !c.ok).every((c) => /ci\.|rankUB/.test(c.what))).toBe(true);
    expect(reseeded.refuted).toBeGreaterThan(0);
  });

  it('re-verifies a snapshot published before the sampler was named with the chain of binomials it was drawn with', () => {
    // What an older release published: the chain's draws, and no `sampler` in the standings.
    const old = computeStandings(votes, params({ bootstrap: { rounds: 20, seed: 3, sampler: 'chain' } }), facts, '2026-07-09T00:00:00.000Z');
    delete old.bootstrap!.sampler;
    const snapshot = snapshotOf(old, { id: 's-old', name: 'published in November', createdAt: '2026-11-09T00:00:00.000Z' });
    expect(verifySnapshot(snapshot, records()).refuted).toBe(0);
    // Read as one drawn with today's sampler, its intervals would not be reproduced.
    const misread = structuredClone(snapshot);
    misread.standings.bootstrap!.sampler = 'table';
    const refuted = verifySnapshot(misread, records());
    expect(refuted.refuted).toBeGreaterThan(0);
    expect(refuted.checks.filter((c) => !c.ok).every((c) => /ci\.|rankUB|separated/.test(c.what))).toBe(true);
    // A snapshot published now says so.
    expect(computeStandings(votes, params(), facts, '2026-12-01T00:00:00.000Z').bootstrap).toEqual({ rounds: 20, seed: 3, sampler: 'table' });
  });
});
