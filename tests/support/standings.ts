/** Standings helpers for tests: votes on real battles over real sockets, views over real HTTP. */
import { expect } from 'vitest';
import type { CategorySummary, RatingHistoryPoint, Standings, StandingsQueryInput } from '../../protocol/standings.ts';
import type { Winner } from '../../protocol/types.ts';
import { playBattle, type TestServer, type TestSocket, waitForTurn } from './test-server.ts';

/** A vote as the standings see it: who was A and B, and the winner. */
export interface CastVote {
  battleId: string;
  modelA: string;
  modelB: string;
  winner: Winner;
}

/** Plays a battle (more turns when given), votes, and returns who was on which side. */
export async function castVote(socket: TestSocket, prompts: string | string[], winner: Winner): Promise<CastVote> {
  const [first, ...more] = [prompts].flat();
  const battleId = await playBattle(socket, first);
  for (const [i, prompt] of more.entries()) {
    const turn = waitForTurn(socket, battleId, i + 2);
    expect(await socket.emitWithAck('battle:continue', { battleId, prompt })).toEqual({ ok: true });
    await turn;
  }
  const reply = await socket.emitWithAck('battle:vote', { battleId, winner });
  if (!reply.ok) throw new Error(`battle:vote: ${reply.error.code} ${reply.error.message}`);
  return { battleId, modelA: reply.models.a.id, modelB: reply.models.b.id, winner };
}

export function query(view: StandingsQueryInput | Record<string, string | number>): string {
  return new URLSearchParams(Object.entries(view).map(([k, v]): [string, string] => [k, String(v)])).toString();
}

export async function getStandings(server: TestServer, view: StandingsQueryInput = {}): Promise<Standings> {
  const res = await fetch(`${server.url}/api/standings?${query(view)}`);
  const body = (await res.json()) as { ok: boolean; standings: Standings };
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body.standings;
}

export async function getCategories(server: TestServer, votes: 'blind' | 'all' = 'blind'): Promise<Record<string, number>> {
  const body = (await (await fetch(`${server.url}/api/standings/categories?votes=${votes}`)).json()) as { categories: CategorySummary[] };
  return Object.fromEntries(body.categories.map((c) => [c.id, c.votes]));
}

export async function getHistory(server: TestServer, view: { category?: string; votes?: 'blind' | 'all' } = {}): Promise<RatingHistoryPoint[]> {
  const body = (await (await fetch(`${server.url}/api/standings/history?${query(view)}`)).json()) as { points: RatingHistoryPoint[] };
  return body.points;
}

/** The categories stored with each vote, by battle id. */
export function storedCategories(server: TestServer): Record<string, string[]> {
  const rows = server.app.db.$client.prepare('SELECT battle_id AS battleId, categories FROM votes').all() as Array<{
    battleId: string;
    categories: string | null;
  }>;
  return Object.fromEntries(rows.map((r) => [r.battleId, r.categories === null ? null : JSON.parse(r.categories)]));
}
