/** Battle history and model pages, the pure parts: who sees what, names only after the vote, the daily record, distributions. */
import { describe, expect, it } from 'vitest';
import type { Winner } from '../../protocol/types.ts';
import { summaryOf } from '../../server/history/battles.ts';
import { categoryCondition } from '../../server/history/categories.ts';
import { PublicRecord } from '../../server/history/model-record.ts';
import { distributionsOf } from '../../server/history/profiles.ts';
import { PublicRecordCache } from '../../server/history/record-cache.ts';
import type { HistoryRepo, HistoryRow, TimedVote } from '../../server/history/repo.ts';
import { historyScope, inScope } from '../../server/history/scope.ts';
import { eloUpdate } from '../../server/ratings/elo.ts';
import type { AnswerSample } from '../../server/standings/speed.ts';
import type { Identity } from '../../server/transport/identity.ts';

const identity = (role: Identity['role'], voterId = `${role}:1`): Identity => ({ role, voterId, userId: null, email: null });

describe('history scope', () => {
  it('gives admins everything, members, viewers and anonymous voters their own, guests nothing', () => {
    expect(historyScope(identity('admin'))).toEqual({ kind: 'all' });
    for (const role of ['member', 'viewer', 'anonymous'] as const) expect(historyScope(identity(role, 'v-1'))).toEqual({ kind: 'voter', voterId: 'v-1' });
    expect(historyScope(identity('guest'))).toEqual({ kind: 'none' });
    expect(inScope({ kind: 'all' }, 'anyone')).toBe(true);
    expect(inScope({ kind: 'voter', voterId: 'v-1' }, 'v-1')).toBe(true);
    expect(inScope({ kind: 'voter', voterId: 'v-1' }, 'v-2')).toBe(false);
    expect(inScope({ kind: 'none' }, 'v-1')).toBe(false);
  });
});

describe('battle summaries', () => {
  const row = (over: Partial<HistoryRow>): HistoryRow => ({
    id: 'b1',
    createdAt: Date.parse('2026-05-01T12:00:00Z'),
    status: 'voted',
    mode: 'arena',
    turns: 1,
    prompt: '안녕하세요',
    modelA: 'm-a',
    modelB: 'm-b',
    winner: 'a',
    ...over,
  });
  const reveal = (a: string, b: string) => ({ a: { id: a, name: a.toUpperCase() }, b: { id: b, name: b.toUpperCase() } });

  it('names the models of a voted battle only', () => {
    expect(summaryOf(row({}), [], reveal)).toEqual({
      id: 'b1',
      createdAt: '2026-05-01T12:00:00.000Z',
      status: 'voted',
      mode: 'arena',
      prompt: '안녕하세요',
      turns: 1,
      models: { a: { id: 'm-a', name: 'M-A' }, b: { id: 'm-b', name: 'M-B' } },
      winner: 'a',
      categories: [],
    });
    // Even if a row carried the ids, an unvoted battle is shown without them.
    for (const status of ['streaming', 'ready', 'failed', 'abandoned'] as const) {
      const s = summaryOf(row({ status, winner: null }), [], reveal);
      expect(s).toMatchObject({ status, models: null, winner: null });
      expect(JSON.stringify(s)).not.toMatch(/m-a|m-b|M-A/);
    }
    expect(summaryOf(row({ prompt: null }), ['coding'], reveal)).toMatchObject({ prompt: '', categories: ['coding'] });
  });

  it("filters by a category through the vote's index entry, the category a parameter, never SQL text", () => {
    // Every battle is under `all`; the rest are found through the vote (tests/integration/battle-history.test.ts).
    expect(categoryCondition('all')).toBeNull();
    for (const category of ['lang:ko', "tag:x' OR 1=1 --", 'tag:한국어 글쓰기'] as const) {
      const condition = categoryCondition(category)!;
      expect(condition.params).toEqual([category]);
      expect(condition.sql).not.toContain(category);
      expect(condition.sql).toMatch(/^v\.id IS NOT NULL AND EXISTS \(SELECT 1 FROM vote_categories c WHERE c\.category = \? /);
    }
  });
});

/** Votes over a few days, deterministic. */
function votes(n: number, models = ['a', 'b', 'c', 'd']): TimedVote[] {
  const winners: Winner[] = ['a', 'b', 'tie', 'bothbad', 'a'];
  const out: TimedVote[] = [];
  let t = Date.parse('2026-06-01T20:00:00Z');
  for (let i = 0; i < n; i++) {
    t += ((i * 7919) % 13) * 1_800_000;
    const a = models[i % models.length]!;
    const b = models[(i + 1 + (Math.floor(i / 4) % 3)) % models.length]!;
    out.push([a, b, winners[i % winners.length]!, t, i % 5 === 4 ? 1 : 0, i + 1]);
  }
  return out;
}

describe('public record', () => {
  it('has each model’s Elo and rank at the close of every day, and its record against each opponent', () => {
    const list = votes(60);
    const record = new PublicRecord(4);
    for (const [a, b, w, at] of list) record.apply(a, b, w, at);

    // Naive: replay up to the end of each day.
    const days = [...new Set(list.map((v) => new Date(v[3]).toISOString().slice(0, 10)))];
    const expected = days.flatMap((day) => {
      const elo = new Map<string, number>();
      for (const [a, b, w, at] of list) {
        if (new Date(at).toISOString().slice(0, 10) > day || a === b) continue;
        const [ra, rb] = eloUpdate(elo.get(a) ?? 1000, elo.get(b) ?? 1000, w === 'a' ? 1 : w === 'b' ? 0 : 0.5, 4);
        elo.set(a, ra);
        elo.set(b, rb);
      }
      const mine = elo.get('c');
      return mine === undefined ? [] : [{ day, elo: Math.round(mine * 100) / 100, rank: 1 + [...elo.values()].filter((r) => r > mine).length }];
    });
    expect(record.history('c')).toEqual(expected);
    expect(record.history('nobody')).toEqual([]);

    const vsA = list.filter(([a, b]) => (a === 'c' && b === 'a') || (a === 'a' && b === 'c'));
    const wins = vsA.filter(([a, , w]) => (a === 'c' && w === 'a') || (a !== 'c' && w === 'b')).length;
    const ties = vsA.filter(([, , w]) => w === 'tie' || w === 'bothbad').length;
    expect(record.opponents('c').find((o) => o.id === 'a')).toEqual({ id: 'a', battles: vsA.length, wins, losses: vsA.length - wins - ties, ties });
    const battles = record.opponents('c').map((o) => o.battles);
    expect(battles).toEqual([...battles].sort((x, y) => y - x));
  });

  it('folds in only new votes, and rebuilds when one sorts before what it has seen', () => {
    const all = votes(80);
    let stored: TimedVote[] = all.slice(0, 30);
    let reads = 0;
    const repo = {
      publicVotesAfter: ({ vote, evalVote }: { vote: number; evalVote: number }) => {
        reads++;
        return stored.filter((v) => v[5] > (v[4] === 0 ? vote : evalVote)).sort((x, y) => x[3] - y[3] || x[4] - y[4] || x[5] - y[5]);
      },
    } as unknown as HistoryRepo;
    const cache = new PublicRecordCache(repo, 4);
    const fresh = (list: TimedVote[]) => {
      const r = new PublicRecord(4);
      for (const [a, b, w, at] of [...list].sort((x, y) => x[3] - y[3] || x[4] - y[4] || x[5] - y[5])) r.apply(a, b, w, at);
      return r;
    };
    expect(cache.current().history('a')).toEqual(fresh(stored).history('a'));
    stored = all.slice(0, 60);
    expect(cache.current().history('a')).toEqual(fresh(stored).history('a'));
    expect(cache.current().opponents('b')).toEqual(fresh(stored).opponents('b'));
    // A vote with a new id but an earlier time than the last one folded in.
    const late: TimedVote = ['a', 'd', 'a', all[10]![3], 0, 1000];
    stored = [...all, late];
    const before = reads;
    expect(cache.current().history('a')).toEqual(fresh(stored).history('a'));
    expect(reads - before).toBe(2); // the new votes, then everything again
  });
});

describe('profile distributions', () => {
  it('are nearest-rank quantiles (0, 10, 25, 50, 75, 90, 100 %) of the successful answers', () => {
    const samples: AnswerSample[] = Array.from({ length: 20 }, (_, i) => ({
      modelId: 'm',
      ttftMs: 100,
      totalMs: 1100 + i * 100,
      outputTokens: 100,
      costUsd: i % 2 === 0 ? (i + 1) / 1000 : null,
      failed: false,
    }));
    samples.push({ modelId: 'm', ttftMs: null, totalMs: 99_999, outputTokens: 0, costUsd: 9, failed: true });
    const d = distributionsOf(samples);
    expect(d.latencyMs).toEqual([1100, 1200, 1500, 2000, 2500, 2800, 3000]);
    // 100 tokens after the first token: 100 / ((totalMs − 100) / 1000).
    expect(d.tokensPerSecond[0]).toBe(Math.round((100 / 2.9) * 10) / 10);
    expect(d.tokensPerSecond.at(-1)).toBe(100);
    expect(d.costUsd).toEqual([0.001, 0.001, 0.005, 0.009, 0.015, 0.017, 0.019]);
    expect(distributionsOf([])).toEqual({ latencyMs: [], tokensPerSecond: [], costUsd: [] });
  });
});
