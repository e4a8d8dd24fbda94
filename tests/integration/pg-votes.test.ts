/**
 * Votes on PostgreSQL from several writers at once (server/voting/pg-vote-store.ts): two pools
 * stand for two instances. Every vote is stored once, a battle takes one vote whichever instance
 * sends it, a voteId sent twice at once is answered, not counted twice, and the online Elo equals
 * a recompute from the votes in id order, as the same votes give on one writer; the maintained
 * counts equal a recount.
 */
import { describe, expect, it } from 'vitest';
import { closePg, openPg, type PgDb } from '../../db/pg/client.ts';
import { PG_COUNT_CELLS } from '../../db/pg/counts.ts';
import type { Winner } from '../../protocol/types.ts';
import { type EloRecord, newEloRecord, recordGame } from '../../server/ratings/elo.ts';
import { outcomeFromDbWinner, scoreOfA } from '../../server/ratings/outcomes.ts';
import { type PgVoteOutcome, PgVoteStore } from '../../server/voting/pg-vote-store.ts';
import type { VoteInput } from '../../server/voting/recorder.ts';
import { useCleanup } from '../support/hooks.ts';
import { createPgDatabase, skipPostgres } from '../support/services.ts';

const cleanup = useCleanup();
const MODELS = ['m-a', 'm-b', 'm-c', 'm-d', 'm-e'];
const WINNERS: Winner[] = ['a', 'b', 'tie', 'bothbad', 'a', 'b'];
const K = 4;

async function database(battles: number): Promise<{ url: string; setup: PgDb }> {
  const pgDatabase = cleanup.add(await createPgDatabase());
  const setup = await openPg(pgDatabase.url);
  cleanup.defer(() => closePg(setup));
  const client = setup.$client;
  for (const id of MODELS) await client.query(`INSERT INTO models (id, name, provider, settings, source) VALUES ($1, $1, 'demo', '{}', 'config')`, [id]);
  await client.query(
    `INSERT INTO battles (id, model_a, model_b, status, voter_id, turns)
     SELECT 'b' || i, ($1::text[])[1 + i % 5], ($1::text[])[1 + (i + 1 + i % 4) % 5], 'ready', 'voter-' || (i % 7), 1 FROM generate_series(0, $2 - 1) i`,
    [MODELS, battles],
  );
  return { url: pgDatabase.url, setup };
}

function voteOn(i: number, opts: { voteId?: string; flags?: string[] } = {}): VoteInput {
  return {
    battleId: `b${i}`,
    voteId: opts.voteId ?? `v${i}`,
    voterId: `voter-${i % 7}`,
    ip: '10.0.0.1',
    winner: WINNERS[i % WINNERS.length]!,
    modelA: MODELS[i % 5]!,
    modelB: MODELS[(i + 1 + (i % 4)) % 5]!,
    promptHash: `p${i % 13}`,
    flags: opts.flags ?? [],
    categories: i % 2 === 0 ? ['coding'] : ['creative', 'long'],
  };
}

/** The online Elo replayed from the counted votes in id order. */
async function recomputed(db: PgDb): Promise<Map<string, EloRecord>> {
  const { rows } = await db.$client.query<{ model_a: string; model_b: string; winner: Winner }>(
    'SELECT model_a, model_b, winner FROM votes WHERE counted ORDER BY id',
  );
  const state = new Map<string, EloRecord>();
  for (const { model_a: a, model_b: b, winner } of rows) {
    const [ra, rb] = recordGame(state.get(a) ?? newEloRecord(), state.get(b) ?? newEloRecord(), scoreOfA(outcomeFromDbWinner(winner)), K);
    state.set(a, ra);
    state.set(b, rb);
  }
  return state;
}

async function stored(db: PgDb): Promise<Map<string, EloRecord>> {
  const { rows } = await db.$client.query<{ model_id: string } & EloRecord>('SELECT model_id, rating, games, wins, losses, ties FROM ratings');
  return new Map(rows.map(({ model_id, ...r }) => [model_id, r]));
}

describe.skipIf(skipPostgres)('votes on PostgreSQL from two writers', () => {
  it('stores each vote once and keeps the online Elo equal to a recompute in id order', async () => {
    const battles = 240;
    const { url, setup } = await database(battles);
    const pools = [await openPg(url, { migrate: false }), await openPg(url, { migrate: false })];
    for (const pool of pools) cleanup.defer(() => closePg(pool));
    const stores = pools.map((db) => new PgVoteStore(db, { eloK: K }));

    // Every battle voted from both instances at once: the second send of the same vote (same voteId)
    // is answered as the earlier one; a different vote on the same battle finds it already voted.
    const sends: Array<Promise<PgVoteOutcome>> = [];
    for (let i = 0; i < battles; i++) {
      sends.push(stores[i % 2]!.record(voteOn(i)));
      sends.push(stores[(i + 1) % 2]!.record(i % 3 === 0 ? voteOn(i, { voteId: `other-${i}` }) : voteOn(i)));
    }
    const outcomes = await Promise.all(sends);
    const recorded = outcomes.filter((o) => o.kind === 'recorded');
    expect(recorded).toHaveLength(battles);
    for (let i = 0; i < battles; i++) {
      const second = outcomes[2 * i + 1]!.kind === 'recorded' ? outcomes[2 * i]! : outcomes[2 * i + 1]!;
      if (i % 3 === 0) expect(second).toEqual({ kind: 'not_ready', status: 'voted' });
      else expect(second).toMatchObject({ kind: 'earlier', vote: { battleId: `b${i}`, winner: voteOn(i).winner, counted: true } });
    }

    const client = setup.$client;
    expect((await client.query('SELECT count(*)::int AS n, count(DISTINCT battle_id)::int AS battles FROM votes')).rows[0]).toEqual({ n: battles, battles });
    expect((await client.query(`SELECT count(*)::int AS n FROM battles WHERE status = 'voted'`)).rows[0]).toEqual({ n: battles });
    const elo = await stored(setup);
    expect(elo).toEqual(await recomputed(setup));
    expect([...elo.values()].reduce((n, r) => n + r.games, 0)).toBe(2 * battles);

    // The maintained counts, kept by the triggers under concurrent writers, equal a recount.
    const cells = async (sql: string, values: unknown[] = []) =>
      (await client.query<{ category: string; model_a: string; model_b: string; winner: string; n: string }>(sql, values)).rows
        .map((r) => `${r.category} ${r.model_a} ${r.model_b} ${r.winner} ${Number(r.n)}`)
        .filter((cell) => !cell.endsWith(' 0'))
        .sort();
    expect(await cells('SELECT category, model_a, model_b, winner, n FROM pair_counts')).toEqual(await cells(PG_COUNT_CELLS, [0, 0]));
    expect((await cells('SELECT category, model_a, model_b, winner, n FROM pair_counts')).some((c) => c.startsWith('creative '))).toBe(true);
  });

  it('stores a flagged vote without counting it, and gives the same ratings as one writer', async () => {
    const battles = 60;
    const one = await database(battles);
    const two = await database(battles);
    const pools = [await openPg(two.url, { migrate: false }), await openPg(two.url, { migrate: false })];
    for (const pool of pools) cleanup.defer(() => closePg(pool));
    const alone = new PgVoteStore(one.setup, { eloK: K });
    const pair = pools.map((db) => new PgVoteStore(db, { eloK: K }));

    const flagged = (i: number) => (i % 10 === 4 ? ['too_fast'] : []);
    for (let i = 0; i < battles; i++) await alone.record(voteOn(i, { flags: flagged(i) }));
    // The same votes, on two writers, in the same order (each waits for the previous).
    for (let i = 0; i < battles; i++) expect((await pair[i % 2]!.record(voteOn(i, { flags: flagged(i) }))).kind).toBe('recorded');

    expect(await stored(two.setup)).toEqual(await stored(one.setup));
    const counted = await two.setup.$client.query<{ counted: boolean; n: number }>(
      'SELECT counted, count(*)::int AS n FROM votes GROUP BY counted ORDER BY counted',
    );
    expect(counted.rows).toEqual([
      { counted: false, n: 6 },
      { counted: true, n: battles - 6 },
    ]);
  });
});
