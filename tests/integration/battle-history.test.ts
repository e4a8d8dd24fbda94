/**
 * Battle history (`GET /api/battles`) and a battle's permanent page (`GET /api/battles/:id`):
 * members see their own, admins all, anonymous voters their own in this browser, guests nothing;
 * search by prompt text (Korean too), paging, filters; models named only after the vote.
 */
import { describe, expect, it } from 'vitest';
import { VOTER_HEADER } from '../../protocol/headers.ts';
import type { BattleDetail, BattleSummary } from '../../protocol/standings.ts';
import type { Winner } from '../../protocol/types.ts';
import { type ApiOptions, api, connectWith, signedIn } from '../support/auth.ts';
import { fastDemoModels, playBattle, type TestServer, type TestSocket, useSharedServer, useTestServer, waitForTurn } from '../support/test-server.ts';

type List = { battles: BattleSummary[]; total: number };
const SECRETS = fastDemoModels.flatMap((m) => [m.id, m.name]);

const as = (voter: string) => ({ headers: { [VOTER_HEADER]: voter } });
const list = (server: TestServer, query: string, opts: ApiOptions = {}) => api<List>(server, `/api/battles${query}`, opts);

async function voted(socket: TestSocket, prompt: string, winner: Winner = 'a'): Promise<string> {
  const battleId = await playBattle(socket, prompt);
  expect((await socket.emitWithAck('battle:vote', { battleId, winner })).ok).toBe(true);
  return battleId;
}

describe('battle history', () => {
  const server = useSharedServer();
  const ids: Record<string, string> = {};
  let admin = '';
  let member = '';

  it('lists a voter their own battles, newest first, named only once voted', async () => {
    const a = await server.connect({ voterId: 'history-voter-a' });
    ids.korean = await voted(a, '서울의 봄 날씨를 설명해 주세요', 'b');
    ids.ready = await playBattle(a, 'An unvoted battle about 100% of nothing_special');
    ids.stopped = await playBattle(a, 'A battle stopped before its vote');
    expect((await a.emitWithAck('battle:stop', { battleId: ids.stopped })).ok).toBe(true);
    const b = await server.connect({ voterId: 'history-voter-b' });
    ids.other = await voted(b, 'Someone else explains hash maps');
    member = await signedIn(server, 'member@example.com', 'member');
    const m = await connectWith(server, { cookie: member });
    ids.member = await voted(m, 'A member asks about binary search', 'tie');
    admin = await signedIn(server, 'admin@example.com', 'admin');

    const mine = await list(server, '', as('history-voter-a'));
    expect(mine.status).toBe(200);
    expect(mine.body.total).toBe(3);
    expect(mine.body.battles.map((x) => x.id)).toEqual([ids.stopped, ids.ready, ids.korean]);
    const [stopped, ready, korean] = mine.body.battles as [BattleSummary, BattleSummary, BattleSummary];
    expect(korean).toMatchObject({ status: 'voted', mode: 'arena', prompt: '서울의 봄 날씨를 설명해 주세요', turns: 1, winner: 'b', categories: ['lang:ko'] });
    expect(korean.models!.a.name).toMatch(/Secret$/);
    expect(Date.parse(korean.createdAt)).not.toBeNaN();
    // Categories are the vote's: a battle without a vote has none.
    expect(ready).toMatchObject({ status: 'ready', models: null, winner: null, categories: [] });
    expect(stopped).toMatchObject({ status: 'abandoned', models: null, winner: null, categories: [] });
    for (const unvoted of [ready, stopped]) for (const secret of SECRETS) expect(JSON.stringify(unvoted)).not.toContain(secret);
  });

  it('shows members their own, admins everyone, another browser nothing of it, guests nothing', async () => {
    expect((await list(server, '', as('history-voter-b'))).body.battles.map((x) => x.id)).toEqual([ids.other]);
    expect((await list(server, '', { cookie: member })).body.battles.map((x) => x.id)).toEqual([ids.member]);
    const all = await list(server, '', { cookie: admin });
    expect(all.body.total).toBe(5);
    expect(new Set(all.body.battles.map((x) => x.id))).toEqual(new Set(Object.values(ids)));
    // Even for an admin, an unvoted battle names no model.
    for (const x of all.body.battles.filter((x) => x.status !== 'voted')) expect(x.models).toBeNull();
    expect((await list(server, '')).body).toMatchObject({ battles: [], total: 0 });
    expect((await list(server, '', as('history-voter-unknown'))).body.total).toBe(0);
  });

  it('searches prompt text (Korean in either normal form, wildcards literal), pages and filters', async () => {
    const search = async (q: string, who: ApiOptions = as('history-voter-a')) => (await list(server, `?q=${encodeURIComponent(q)}`, who)).body;
    expect((await search('봄 날씨')).battles.map((x) => x.id)).toEqual([ids.korean]);
    expect((await search('봄 날씨'.normalize('NFD'))).battles.map((x) => x.id)).toEqual([ids.korean]);
    expect((await search('UNVOTED')).battles.map((x) => x.id)).toEqual([ids.ready]);
    expect((await search('100%')).total).toBe(1);
    expect((await search('_special')).total).toBe(1);
    expect((await search('%')).total).toBe(1);
    expect((await search('hash maps')).total).toBe(0); // someone else's
    expect((await search('hash maps', { cookie: admin })).total).toBe(1);
    // A model's name finds the voted battles it fought, never an unvoted one (that would name it).
    const korean = (await list(server, '', as('history-voter-a'))).body.battles.find((x) => x.id === ids.korean)!;
    expect((await search(korean.models!.b.name)).battles.map((x) => x.id)).toEqual([ids.korean]);
    expect((await search('secret')).battles.map((x) => x.id)).toEqual([ids.korean]);
    const everyName = await Promise.all(fastDemoModels.map(async (m) => (await search(m.name!, { cookie: admin })).battles));
    for (const found of everyName) for (const x of found) expect(x.status).toBe('voted');
    expect(new Set(everyName.flat().map((x) => x.id))).toEqual(new Set([ids.korean, ids.other, ids.member]));

    const page1 = (await list(server, '?limit=2', as('history-voter-a'))).body;
    const page2 = (await list(server, '?limit=2&offset=2', as('history-voter-a'))).body;
    expect(page1).toMatchObject({ total: 3 });
    expect([...page1.battles, ...page2.battles].map((x) => x.id)).toEqual([ids.stopped, ids.ready, ids.korean]);

    // A model filter finds voted battles only: an unvoted one would say who answered it.
    for (const model of fastDemoModels) {
      const found = (await list(server, `?model=${model.id}`, { cookie: admin })).body.battles;
      for (const x of found) {
        expect(x.status).toBe('voted');
        expect([x.models!.a.id, x.models!.b.id]).toContain(model.id);
      }
    }
    const voters = (await list(server, '', { cookie: admin })).body.battles.filter((x) => x.status === 'voted');
    const counted = fastDemoModels.map(async (m) => (await list(server, `?model=${m.id}`, { cookie: admin })).body.total);
    expect((await Promise.all(counted)).reduce((s, n) => s + n, 0)).toBe(voters.length * 2);

    expect((await list(server, '?category=all', { cookie: admin })).body.total).toBe(5);
    // Categories as the standings filed the votes (the stored column and its index agree).
    const filed = server.app.db.$client.prepare('SELECT battle_id AS id, categories FROM votes').all() as Array<{ id: string; categories: string }>;
    const under = (category: string) => filed.filter((v) => (JSON.parse(v.categories) as string[]).includes(category)).map((v) => v.id);
    expect(under('lang:ko')).toEqual([ids.korean]);
    expect(under('lang:en').sort()).toEqual([ids.other, ids.member].sort());
    const inKorean = await list(server, `?category=${encodeURIComponent('lang:ko')}`, { cookie: admin });
    expect(inKorean.body).toMatchObject({ total: 1, battles: [{ id: ids.korean, categories: ['lang:ko'] }] });
    const english = await list(server, '?category=lang:en', { cookie: admin });
    expect(english.body.total).toBe(2);
    expect(english.body.battles.map((x) => x.id).sort()).toEqual([ids.other, ids.member].sort());
    for (const x of english.body.battles) expect(x.categories).toContain('lang:en');
    // Filters combine; a voter's filter stays within their own battles; an unvoted battle is in no category.
    expect((await list(server, '?category=lang:en&q=binary', { cookie: admin })).body.battles.map((x) => x.id)).toEqual([ids.member]);
    expect((await list(server, '?category=lang:en', as('history-voter-a'))).body.total).toBe(0);
    expect((await list(server, '?category=coding', { cookie: admin })).body.total).toBe(0);
    for (const [query, field] of [
      ['?limit=0', 'limit'],
      ['?limit=101', 'limit'],
      ['?offset=-1', 'offset'],
      ['?category=cooking', 'category'],
      ['?page=2', 'page'],
      [`?q=${'x'.repeat(201)}`, 'q'],
    ]) {
      const res = await list(server, query!, { cookie: admin });
      expect(res.status, query).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_input', field });
    }
  });

  it('gives a battle a permanent page with both conversations, to its voter and admins only', async () => {
    const detail = (id: string, opts: ApiOptions) => api<{ battle: BattleDetail }>(server, `/api/battles/${id}`, opts);
    const res = await detail(ids.korean!, as('history-voter-a'));
    expect(res.status).toBe(200);
    const battle = res.body.battle;
    expect(battle).toMatchObject({ id: ids.korean, status: 'voted', winner: 'b', prompt: '서울의 봄 날씨를 설명해 주세요' });
    expect(battle.models!.a.id).not.toBe(battle.models!.b.id);
    expect(battle.conversation).toHaveLength(1);
    const turn = battle.conversation[0]!;
    expect(turn.prompt).toBe('서울의 봄 날씨를 설명해 주세요');
    expect(turn.a.text.length).toBeGreaterThan(0);
    expect(turn.b.text.length).toBeGreaterThan(0);
    expect(turn.a).toMatchObject({ finishReason: 'stop', error: null });
    expect((await detail(ids.korean!, { cookie: admin })).body.battle).toEqual(battle);

    const unvoted = await detail(ids.ready!, as('history-voter-a'));
    expect(unvoted.body.battle).toMatchObject({ status: 'ready', models: null, winner: null });
    expect(unvoted.body.battle.conversation[0]!.a.text.length).toBeGreaterThan(0);
    for (const secret of SECRETS) expect(JSON.stringify(unvoted.body)).not.toContain(secret);

    // Someone else's battle answers like a missing one.
    const stranger = await detail(ids.korean!, as('history-voter-b'));
    const missing = await detail('00000000-0000-4000-8000-000000000000', as('history-voter-b'));
    expect(stranger.status).toBe(404);
    expect(stranger.body).toEqual(missing.body);
    expect((await detail(ids.korean!, { cookie: member })).status).toBe(404);
  });

  it('keeps every turn of a multi-turn battle on its page', async () => {
    const a = await server.connect({ voterId: 'history-voter-a' });
    const battleId = await playBattle(a, 'First question about queues');
    const second = waitForTurn(a, battleId, 2);
    expect((await a.emitWithAck('battle:continue', { battleId, prompt: '두 번째 질문: 스택은요?' })).ok).toBe(true);
    const answers = await second;
    expect((await a.emitWithAck('battle:vote', { battleId, winner: 'tie' })).ok).toBe(true);
    const { battle } = (await api<{ battle: BattleDetail }>(server, `/api/battles/${battleId}`, as('history-voter-a'))).body;
    expect(battle.turns).toBe(2);
    expect(battle.conversation.map((t) => t.prompt)).toEqual(['First question about queues', '두 번째 질문: 스택은요?']);
    expect(battle.conversation[1]!.a.text).toBe(answers.a);
    expect(battle.conversation[1]!.b.text).toBe(answers.b);
    expect((await list(server, `?q=${encodeURIComponent('스택')}`, as('history-voter-a'))).body.battles.map((x) => x.id)).toEqual([battleId]);
  });
});

describe('battle history in accounts mode', () => {
  const startServer = useTestServer();
  it('gives guests nothing (sign in first)', async () => {
    const server = await startServer({ config: { auth: { mode: 'accounts' } } });
    const guest = await list(server, '', as('history-voter-a'));
    expect(guest.status).toBe(401);
    expect(guest.body.error).toMatchObject({ code: 'unauthorized' });
    expect((await api(server, '/api/battles/some-id')).status).toBe(404);
    const member = await signedIn(server, 'm@example.com', 'member');
    expect((await list(server, '', { cookie: member })).body).toMatchObject({ battles: [], total: 0 });
  });
});
