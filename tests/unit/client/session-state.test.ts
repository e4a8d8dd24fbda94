import { afterEach, describe, expect, it, vi } from 'vitest';
import { SessionState } from '../../../client/src/lib/auth.svelte.ts';
import type { Me } from '../../../protocol/auth.ts';
import { can, PERMISSIONS, type Role } from '../../../protocol/permissions.ts';
import { fakeFetch } from './fake-http.ts';
import { FakeSocket } from './fake-socket.ts';

const limits = { maxPromptChars: 8000, maxTurns: 10 };

function me(role: Role): Me {
  const signedIn = role !== 'anonymous' && role !== 'guest';
  return { mode: role === 'anonymous' ? 'public' : 'accounts', user: signedIn ? { id: '1', email: 'a@example.com', role } : null, role, limits };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the role→permission table', () => {
  it('is what the server enforced before it was written once (server/auth/identity.ts, requireEvaluator)', () => {
    expect(PERMISSIONS).toEqual({
      admin: ['battle', 'vote', 'view', 'admin', 'evaluate'],
      member: ['battle', 'vote', 'view', 'evaluate'],
      viewer: ['view'],
      anonymous: ['battle', 'vote', 'view'],
      guest: [],
    });
    expect(can('viewer', 'vote')).toBe(false);
    expect(can('anonymous', 'evaluate')).toBe(false);
  });
});

describe('SessionState', () => {
  it('allows nothing before GET /api/me has answered', () => {
    const session = new SessionState(new FakeSocket().asSocket());
    expect(session.me).toBeNull();
    expect([session.isAdmin, session.canEvaluate, session.canBattle]).toEqual([false, false, false]);
  });

  it.each<[Role, { isAdmin: boolean; canEvaluate: boolean; canBattle: boolean }]>([
    ['admin', { isAdmin: true, canEvaluate: true, canBattle: true }],
    ['member', { isAdmin: false, canEvaluate: true, canBattle: true }],
    ['viewer', { isAdmin: false, canEvaluate: false, canBattle: false }],
    ['anonymous', { isAdmin: false, canEvaluate: false, canBattle: true }],
    ['guest', { isAdmin: false, canEvaluate: false, canBattle: false }],
  ])('offers a %s what the table allows', async (role, expected) => {
    fakeFetch(() => ({ json: { ok: true, ...me(role) } }));
    const session = new SessionState(new FakeSocket().asSocket());
    await session.load();
    expect(session.role).toBe(role);
    expect({ isAdmin: session.isAdmin, canEvaluate: session.canEvaluate, canBattle: session.canBattle }).toEqual(expected);
    expect(session.isAdmin).toBe(can(role, 'admin'));
    expect(session.canEvaluate).toBe(can(role, 'evaluate'));
    expect(session.canBattle).toBe(can(role, 'battle'));
  });

  it('signs in, reconnects the socket so it carries the new cookie, and reloads who it is', async () => {
    let signedIn = false;
    const requests = fakeFetch((method, url) => {
      if (url === '/api/auth/login') signedIn = true;
      return {
        json: url === '/api/me' ? { ok: true, ...me(signedIn ? 'member' : 'guest') } : { ok: true, user: { id: '1', email: 'a@example.com', role: 'member' } },
      };
    });
    const socket = new FakeSocket();
    const events: string[] = [];
    socket.on('disconnect', () => events.push('disconnect'));
    socket.on('connect', () => events.push('connect'));
    const session = new SessionState(socket.asSocket());
    await session.load();
    expect(session.canEvaluate).toBe(false);
    await session.login('a@example.com', 'correct horse');
    expect(events).toEqual(['disconnect', 'connect']);
    expect(session.canEvaluate).toBe(true);
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /api/me', 'POST /api/auth/login', 'GET /api/me']);
    expect(requests[1]!.body).toEqual({ email: 'a@example.com', password: 'correct horse' });
  });
});
