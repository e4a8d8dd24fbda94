/**
 * What the integrity review reads, on either database: the same checks on SQLite and PostgreSQL
 * through the VoteReviewStore interface, on the same votes: every vote in order with its flags,
 * counted votes per prompt hash, a hash's prompt turns, and the latest flagged votes.
 */
import { describe, expect, it } from 'vitest';
import * as pg from '../../db/pg/schema.ts';
import * as lite from '../../db/schema.ts';
import type { IntegrityFlag, Winner } from '../../protocol/types.ts';
import { PgVoteReviewRepo } from '../../server/integrity/review-pg-repo.ts';
import { VoteReviewRepo } from '../../server/integrity/review-repo.ts';
import type { VoteReviewStore } from '../../server/integrity/review-store.ts';
import { PgModelsRepo } from '../../server/models/pg-repo.ts';
import { ModelRegistry } from '../../server/models/registry.ts';
import { ModelsRepo } from '../../server/models/repo.ts';
import type { ModelStore } from '../../server/models/store.ts';
import { DIALECTS, storeOn } from '../support/dialects.ts';
import { useCleanup } from '../support/hooks.ts';

const cleanup = useCleanup();
const T0 = 1_764_000_000_000;

interface Seeded {
  id: string;
  winner: Winner;
  flags: IntegrityFlag[];
  hash: string | null;
  prompts: string[];
}
const VOTES: Seeded[] = [
  { id: 'b1', winner: 'a', flags: [], hash: 'h-heap', prompts: ['힙이 무엇인가요?', '예를 들어 주세요'] },
  { id: 'b2', winner: 'b', flags: ['too_fast'], hash: 'h-heap', prompts: ['힙이 무엇인가요?', '예를 들어 주세요'] },
  { id: 'b3', winner: 'tie', flags: [], hash: 'h-heap', prompts: ['힙이 무엇인가요?', '예를 들어 주세요'] },
  { id: 'b4', winner: 'bothbad', flags: [], hash: 'h-sort', prompts: ['Sort this list'] },
  { id: 'b5', winner: 'a', flags: ['too_fast', 'named'], hash: '', prompts: ['no hash yet'] },
  { id: 'b6', winner: 'b', flags: [], hash: null, prompts: ['not stored'] },
];

for (const dialect of DIALECTS) {
  describe.skipIf(dialect.skip)(`the integrity review's reads on ${dialect.name}`, () => {
    it('reads every vote with its flags, counted votes per prompt, a prompt by its hash and the latest flagged votes', async () => {
      const opened = await dialect.open(cleanup);
      const models = storeOn<ModelStore>(opened, { sqlite: (db) => new ModelsRepo(db, () => T0), pg: (db) => new PgModelsRepo(db, () => T0) });
      await new ModelRegistry(models, {}).syncFromConfig(
        [
          { id: 'alpha', name: 'Alpha', provider: 'demo', model: 'sage' },
          { id: 'beta', name: 'Beta', provider: 'demo', model: 'verse' },
        ],
        'config',
      );
      for (const [i, v] of VOTES.entries()) {
        const at = new Date(T0 + i * 1000);
        const battle = {
          id: v.id,
          modelA: 'alpha',
          modelB: 'beta',
          status: 'voted' as const,
          voterId: `voter-${i % 2}`,
          turns: v.prompts.length,
          createdAt: at,
        };
        const turnRows = v.prompts.map((prompt, t) => ({ battleId: v.id, turn: t + 1, prompt, createdAt: at }));
        const vote = {
          battleId: v.id,
          voterId: battle.voterId,
          winner: v.winner,
          modelA: 'alpha',
          modelB: 'beta',
          flags: v.flags,
          counted: v.flags.length === 0,
          promptHash: v.hash,
          createdAt: at,
        };
        if (opened.kind === 'sqlite') {
          opened.db.insert(lite.battles).values(battle).run();
          opened.db.insert(lite.turns).values(turnRows).run();
          opened.db.insert(lite.votes).values(vote).run();
        } else {
          await opened.db.insert(pg.battles).values(battle);
          await opened.db.insert(pg.turns).values(turnRows);
          await opened.db.insert(pg.votes).values(vote);
        }
      }
      const store = storeOn<VoteReviewStore>(opened, { sqlite: (db) => new VoteReviewRepo(db.$client), pg: (db) => new PgVoteReviewRepo(db) });

      expect(await store.votes()).toEqual(
        VOTES.map((v, i) => ({ voterId: `voter-${i % 2}`, modelA: 'alpha', modelB: 'beta', winner: v.winner, flags: v.flags })),
      );
      expect(await store.promptCounts()).toEqual(
        new Map([
          ['h-heap', 2],
          ['h-sort', 1],
        ]),
      );
      expect(await store.promptOf('h-heap')).toEqual(['힙이 무엇인가요?', '예를 들어 주세요']);
      expect(await store.promptOf('')).toEqual([]);
      expect(await store.promptOf('missing')).toEqual([]);
      expect(await store.recentFlagged(10)).toEqual([
        {
          battleId: 'b5',
          voterId: 'voter-0',
          winner: 'a',
          modelA: 'alpha',
          modelB: 'beta',
          flags: ['too_fast', 'named'],
          at: new Date(T0 + 4000).toISOString(),
        },
        { battleId: 'b2', voterId: 'voter-1', winner: 'b', modelA: 'alpha', modelB: 'beta', flags: ['too_fast'], at: new Date(T0 + 1000).toISOString() },
      ]);
      expect((await store.recentFlagged(1)).map((v) => v.battleId)).toEqual(['b5']);
    });
  });
}
