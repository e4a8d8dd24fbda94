/**
 * Published snapshots on either database: the same checks on SQLite and PostgreSQL through the
 * SnapshotStore interface. A snapshot reads back exactly as written (its standings too: floats,
 * nulls, nested arrays, Hangul), the list is newest first without the standings, and an id is
 * taken once.
 */
import { describe, expect, it } from 'vitest';
import type { Snapshot, Standings } from '../../protocol/standings.ts';
import { PgSnapshotRepo } from '../../server/snapshots/pg-repo.ts';
import { SnapshotRepo } from '../../server/snapshots/repo.ts';
import type { SnapshotStore } from '../../server/snapshots/store.ts';
import { DIALECTS, storeOn } from '../support/dialects.ts';
import { useCleanup } from '../support/hooks.ts';

const cleanup = useCleanup();

// Opaque to the store: any JSON the standings hold must come back as it went in.
const STANDINGS = {
  method: 'bt',
  totalVotes: 3,
  models: [{ modelId: 'alpha', name: '알파 모델', rating: 1012.3456789, ci: { lower: 990.1, upper: 1030.25 }, votes: 3, winRate: 2 / 3 }],
  provisional: [],
  pairs: {
    ids: ['alpha', 'beta'],
    observed: [
      [null, 0.75],
      [0.25, null],
    ],
  },
  style: null,
  fronts: { cost: [], tokensPerSecond: ['alpha'], ttft: [] },
} as unknown as Standings;

function snapshot(id: string, createdAt: string, bootstrap: Snapshot['bootstrap']): Snapshot {
  return {
    id,
    name: `주간 순위 ${id}`,
    createdAt,
    createdBy: null,
    view: { method: 'bt', category: 'all', votes: 'blind', deprecated: '0', styleControl: '0', minVotes: 1 },
    softwareVersion: '0.1.0',
    votesHash: 'f'.repeat(64),
    votes: 3,
    bootstrap,
    eloK: 4,
    standings: STANDINGS,
  };
}

for (const dialect of DIALECTS) {
  describe.skipIf(dialect.skip)(`published snapshots on ${dialect.name}`, () => {
    it('reads a snapshot back as written, lists newest first without standings, and takes an id once', async () => {
      const opened = await dialect.open(cleanup);
      const store = storeOn<SnapshotStore>(opened, { sqlite: (db) => new SnapshotRepo(db), pg: (db) => new PgSnapshotRepo(db) });
      const older = snapshot('older', '2026-11-30T09:00:00.000Z', { rounds: 100, seed: 2 ** 40 + 7 });
      const newer = snapshot('newer', '2026-12-01T09:00:00.000Z', null);
      await store.insert(older);
      await store.insert(newer);

      expect(await store.get('older')).toEqual(older);
      expect(await store.get('newer')).toEqual(newer);
      expect(await store.get('missing')).toBeUndefined();
      const { standings: _s, ...summary } = newer;
      const list = await store.list();
      expect(list.map((s) => s.id)).toEqual(['newer', 'older']);
      expect(list[0]).toEqual(summary);
      // The key refuses it (drizzle's PostgreSQL driver wraps the server's error as the cause).
      const refusal = await store.insert({ ...older, name: 'again' }).then(
        () => null,
        (err: Error) => `${err.message} ${(err.cause as Error | undefined)?.message}`,
      );
      expect(refusal).toMatch(/UNIQUE constraint failed: snapshots\.id|duplicate key value violates unique constraint "snapshots_pkey"/);
      expect((await store.get('older'))!.name).toBe(older.name);
    });
  });
}
