/**
 * The vote path's reads (db/row-reader.ts through server/arena/repo.ts) give exactly the rows
 * drizzle's query builder gives: dates, booleans, JSON and nulls mapped the same way.
 */
import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { answers, battles, turns, votes } from '../../db/schema.ts';
import { BattleRepo } from '../../server/arena/repo.ts';
import { useCleanup } from '../support/hooks.ts';
import { playBattle, startTestServer } from '../support/test-server.ts';

const cleanup = useCleanup();

describe('row reader', () => {
  it('reads battles, turns, answers and votes as the query builder does', async () => {
    const server = cleanup.add(await startTestServer());
    const socket = await server.connect();
    const voted = await playBattle(socket, 'Summarise the history of Hangul in two sentences');
    const voteId = '7d0f6a52-3c1e-4d8e-9f2a-0b5c6d7e8f90';
    expect((await socket.emitWithAck('battle:vote', { battleId: voted, winner: 'tie', voteId })).ok).toBe(true);
    const unvoted = await playBattle(socket, 'And a second prompt');

    const { db } = server.app;
    const repo = new BattleRepo(db);
    for (const id of [voted, unvoted]) {
      expect(repo.getBattle(id)).toEqual(db.select().from(battles).where(eq(battles.id, id)).get());
      expect(repo.getTurns(id)).toEqual(db.select().from(turns).where(eq(turns.battleId, id)).orderBy(asc(turns.turn)).all());
      expect(repo.getAnswers(id)).toEqual(db.select().from(answers).where(eq(answers.battleId, id)).orderBy(asc(answers.turn)).all());
      expect(repo.getVote(id)).toEqual(db.select().from(votes).where(eq(votes.battleId, id)).get());
    }
    const vote = repo.getVoteByVoteId(voteId);
    expect(vote).toEqual(db.select().from(votes).where(eq(votes.voteId, voteId)).get());
    expect(vote).toMatchObject({ battleId: voted, winner: 'tie', counted: true, flags: [] });
    expect(vote?.createdAt).toBeInstanceOf(Date);
    expect(repo.getAnswers(voted)).toHaveLength(2);
    expect(typeof repo.getAnswers(voted)[0]?.tokensEstimated).toBe('boolean');
    expect(repo.getBattle('no-such-battle')).toBeUndefined();
    expect(repo.getVote(unvoted)).toBeUndefined();
  });
});
