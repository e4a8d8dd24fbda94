import { execFile } from 'node:child_process';
import { request } from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runUserCli } from '../../server/cli/user.ts';
import { addUser, api, connectWith, login, PASSWORD, sessionCookie, signedIn } from '../support/auth.ts';
import { useCleanup } from '../support/hooks.ts';
import { useTestServer } from '../support/test-server.ts';

const cleanup = useCleanup();
const startServer = useTestServer(cleanup);

function captureIo(extra: Parameters<typeof runUserCli>[1] extends infer T ? Partial<T> : never = {}) {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: { stdout: { write: (t: string) => (out.stdout += t) }, stderr: { write: (t: string) => (out.stderr += t) }, ...extra },
  };
}

describe('first admin from the command line', () => {
  it('creates the admin in the DATABASE_PATH file the server then uses, asking for the password when not given', async () => {
    const dir = cleanup.tempDir('arena-cli-user-');
    const env = { DATABASE_PATH: path.join(dir, 'arena.db'), ARENA_CONFIG: '' };
    const asked: string[] = [];
    const { io, out } = captureIo({ env, cwd: dir, readPassword: async (prompt: string) => (asked.push(prompt), PASSWORD) });
    expect(await runUserCli(['add', '--email', 'Boss@Example.com', '--role', 'admin'], io)).toBe(0);
    expect(asked).toEqual(['Password: ', 'Repeat password: ']);
    expect(out.stdout).toMatch(/created admin boss@example.com/);

    const bad = captureIo({ env, cwd: dir });
    expect(await runUserCli(['add', '--email', 'x@example.com', '--role', 'root', '--password', PASSWORD], bad.io)).toBe(2);
    expect(bad.out.stderr).toMatch(/--role must be one of admin, member, viewer/);
    const dup = captureIo({ env, cwd: dir });
    expect(await runUserCli(['add', '--email', 'boss@example.com', '--role', 'admin', '--password', PASSWORD], dup.io)).toBe(1);

    // The real binary, same file.
    const { stdout } = await promisify(execFile)(process.execPath, ['bin/arena.js', 'user', 'list'], { env: { ...process.env, ...env } });
    expect(stdout).toMatch(/^1\tboss@example.com\tadmin$/m);

    const server = await startServer({ dir });
    const cookie = await login(server, 'boss@example.com');
    const me = await api(server, '/api/me', { cookie });
    expect(me.body).toMatchObject({ ok: true, mode: 'public', role: 'admin', user: { email: 'boss@example.com', role: 'admin' } });
    const audit = await api<{ entries: Array<{ actor: string; action: string }> }>(server, '/api/admin/audit', { cookie });
    expect(audit.body.entries.map((e) => [e.actor, e.action])).toEqual([['command line', 'user.create']]);
  });
});

describe('invites, sign-up, sign-in, sign-out', () => {
  it('answers concurrent sign-ups with one email 409 for all but one, and leaves their invites open', async () => {
    const server = await startServer();
    const admin = await signedIn(server, 'admin@example.com', 'admin');
    const tokens: string[] = [];
    for (let i = 0; i < 5; i++)
      tokens.push((await api<{ token: string }>(server, '/api/admin/invites', { cookie: admin, body: { role: 'member' } })).body.token);
    const results = await Promise.all(
      tokens.map((invite) => api(server, '/api/auth/signup', { body: { invite, email: 'same@example.com', password: 'a good long password' } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
    for (const r of results.filter((r) => r.status === 409)) expect(r.body.error).toMatchObject({ code: 'conflict', field: 'email' });
    const invites = await api<{ invites: Array<{ status: string }> }>(server, '/api/admin/invites', { cookie: admin });
    expect(invites.body.invites.map((i) => i.status).sort()).toEqual(['open', 'open', 'open', 'open', 'used']);
  });

  it('lets an invited person sign up once, sign in and out; refuses used, revoked and expired invites', async () => {
    let clock = Date.parse('2030-01-01T00:00:00Z');
    const server = await startServer({ deps: { now: () => clock } });
    const admin = await signedIn(server, 'admin@example.com', 'admin');
    const created = await api<{ token: string; path: string; invite: { id: number; status: string } }>(server, '/api/admin/invites', {
      cookie: admin,
      body: { role: 'member', expiresInHours: 24 },
    });
    expect(created.status).toBe(200);
    expect(created.body.path).toBe(`/#/signup?invite=${created.body.token}`);
    expect(created.body.invite.status).toBe('open');

    const signup = await api(server, '/api/auth/signup', { body: { invite: created.body.token, email: 'New@Example.com', password: 'a good long password' } });
    expect(signup.body).toMatchObject({ ok: true, user: { email: 'new@example.com', role: 'member' } });
    const member = sessionCookie(signup);
    expect((await api(server, '/api/me', { cookie: member })).body).toMatchObject({ role: 'member', user: { email: 'new@example.com' } });

    const again = await api(server, '/api/auth/signup', { body: { invite: created.body.token, email: 'other@example.com', password: 'a good long password' } });
    expect(again).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });

    expect((await api(server, '/api/auth/logout', { cookie: member, body: {} })).status).toBe(200);
    expect((await api(server, '/api/me', { cookie: member })).body).toMatchObject({ role: 'anonymous', user: null });
    const back = await login(server, 'new@example.com', 'a good long password');
    expect((await api(server, '/api/me', { cookie: back })).body).toMatchObject({ role: 'member' });

    const revoked = await api<{ token: string; invite: { id: number } }>(server, '/api/admin/invites', { cookie: admin, body: { role: 'viewer' } });
    expect((await api(server, `/api/admin/invites/${revoked.body.invite.id}`, { method: 'DELETE', cookie: admin })).status).toBe(200);
    const useRevoked = await api(server, '/api/auth/signup', {
      body: { invite: revoked.body.token, email: 'r@example.com', password: 'a good long password' },
    });
    expect(useRevoked.status).toBe(404);

    const expiring = await api<{ token: string }>(server, '/api/admin/invites', { cookie: admin, body: { role: 'viewer', expiresInHours: 1 } });
    clock += 2 * 3_600_000;
    const useExpired = await api(server, '/api/auth/signup', {
      body: { invite: expiring.body.token, email: 'e@example.com', password: 'a good long password' },
    });
    expect(useExpired.status).toBe(404);

    const invites = await api<{ invites: Array<{ status: string; usedBy: string | null }> }>(server, '/api/admin/invites', { cookie: admin });
    expect(invites.body.invites.map((i) => i.status).sort()).toEqual(['expired', 'revoked', 'used']);
    const audit = await api<{ entries: Array<{ action: string; details: object }> }>(server, '/api/admin/audit', { cookie: admin });
    expect(audit.body.entries.map((e) => e.action)).toEqual(['invite.create', 'invite.revoke', 'invite.create', 'user.signup', 'invite.create', 'user.create']);
    // The log never holds a token or a password hash.
    const raw = JSON.stringify(audit.body);
    expect(raw).not.toContain(created.body.token);
    expect(raw).not.toMatch(/scrypt\$/);
  });

  it('sets the session cookie HttpOnly and SameSite=Lax, Secure only behind TLS from a trusted proxy', async () => {
    const server = await startServer({ config: { auth: { trustedProxy: { addresses: ['127.0.0.1'] } } } });
    await addUser(server, 'a@example.com', 'member');
    const plain = await api(server, '/api/auth/login', { body: { email: 'a@example.com', password: PASSWORD } });
    const cookie = plain.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(/^arena_session=[A-Za-z0-9_-]{43}; /);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    const tls = await api(server, '/api/auth/login', { body: { email: 'a@example.com', password: PASSWORD }, headers: { 'x-forwarded-proto': 'https' } });
    expect(tls.headers.getSetCookie()[0]).toMatch(/; Secure/);
    // Only the hash is stored.
    const token = cookie.split(';')[0]!.split('=')[1]!;
    const rows = server.app.db.$client.prepare('SELECT token_hash FROM sessions').all() as Array<{ token_hash: string }>;
    expect(rows.map((r) => r.token_hash)).not.toContain(token);
    expect(rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('sign-in failures', () => {
  it('answers the same generic error for a wrong password and an unknown email', async () => {
    const server = await startServer();
    await addUser(server, 'known@example.com', 'member');
    const wrong = await api(server, '/api/auth/login', { body: { email: 'known@example.com', password: 'not the password' } });
    const unknown = await api(server, '/api/auth/login', { body: { email: 'nobody@example.com', password: 'not the password' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body).toEqual({ ok: false, error: { code: 'unauthorized', message: 'email or password is incorrect' } });
  });

  it('throttles a guesser without locking the owner out (OWASP): per email+address with growing delays, per address, per account', async () => {
    let clock = 1_000_000_000_000;
    // The test's own address is the proxy, so X-Forwarded-For can play many clients.
    const server = await startServer({ deps: { now: () => clock }, config: { auth: { trustedProxy: { addresses: ['127.0.0.1'] } } } });
    await addUser(server, 'admin@example.com', 'admin');
    const attempt = (email: string, password: string, ip: string, cookie?: string) =>
      api(server, '/api/auth/login', { body: { email, password }, headers: { 'x-forwarded-for': ip }, ...(cookie ? { cookie } : {}) });

    // A guesser at one address: free tries, then growing delays, then a block at 10.
    const waits: number[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await attempt('admin@example.com', 'guess', '10.0.0.66');
      if (res.status === 429) {
        waits.push(res.body.error!.retryAfterMs!);
        clock += res.body.error!.retryAfterMs!;
        i--;
        continue;
      }
      expect(res.status).toBe(401);
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 64_000]);
    const guesser = await attempt('admin@example.com', PASSWORD, '10.0.0.66');
    expect(guesser.status).toBe(429);
    expect(guesser.body.error).toMatchObject({ code: 'rate_limited' });
    expect(guesser.body.error!.retryAfterMs).toBeLessThanOrEqual(15 * 60_000);

    // The owner, from an address without recent failures, still gets in.
    const owner = await attempt('admin@example.com', PASSWORD, '10.0.0.7');
    expect(owner.status).toBe(200);
    const device = owner.headers.getSetCookie().find((c) => c.startsWith('arena_device='))!;
    expect(device).toMatch(/HttpOnly/i);
    expect(device).toMatch(/Path=\/api\/auth/);
    const deviceCookie = device.split(';')[0]!;

    // Per address: 30 failures across emails block that address for everyone.
    for (let i = 0; i < 30; i++) await attempt(`user${i}@example.com`, 'guess', '10.0.2.2');
    expect((await attempt('someone@example.com', 'guess', '10.0.2.2')).status).toBe(429);
    expect((await attempt('someone@example.com', 'guess', '10.0.2.3')).status).toBe(401);

    // Per account: 50 failures from many addresses close sign-in from new browsers only;
    // the browser the owner signed in from before still gets in with the right password.
    for (let i = 0; i < 50; i++) await attempt('admin@example.com', 'guess', `10.1.${i}.1`);
    expect((await attempt('admin@example.com', PASSWORD, '10.9.9.9')).status).toBe(429);
    expect((await attempt('admin@example.com', PASSWORD, '10.9.9.9', deviceCookie)).status).toBe(200);

    clock += 15 * 60_000 + 1;
    expect((await attempt('admin@example.com', PASSWORD, '10.0.0.66')).status).toBe(200);
  });
});

describe('roles', () => {
  it('refuses every admin route to members and viewers (403) and to anonymous visitors (401)', async () => {
    const server = await startServer();
    const member = await signedIn(server, 'member@example.com', 'member');
    const viewer = await signedIn(server, 'viewer@example.com', 'viewer');
    const adminRoutes = server.app.routes.filter((r) => r.url.startsWith('/api/admin') && r.method !== 'HEAD');
    expect(adminRoutes.length).toBeGreaterThanOrEqual(14);
    for (const route of adminRoutes) {
      const url = route.url.replace(/:id/g, '1');
      const body = route.method === 'GET' ? undefined : {};
      for (const [cookie, status, code] of [
        [member, 403, 'forbidden'],
        [viewer, 403, 'forbidden'],
        [undefined, 401, 'unauthorized'],
      ] as const) {
        const res = await api(server, url, { method: route.method, cookie, ...(body && { body }) });
        expect([route.method, route.url, res.status, res.body.error?.code]).toEqual([route.method, route.url, status, code]);
      }
    }
  });

  it('lets a viewer watch but not battle or vote, and refuses admin socket events to members', async () => {
    const server = await startServer();
    const viewer = await connectWith(server, { cookie: await signedIn(server, 'v@example.com', 'viewer') });
    expect(await viewer.emitWithAck('battle:start', { prompt: 'hello' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await viewer.emitWithAck('battle:vote', { battleId: 'x', winner: 'a' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await viewer.emitWithAck('eval:next', { evaluationId: 'x' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await viewer.emitWithAck('eval:vote', { evaluationId: 'x', itemId: 'y', winner: 'a' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await viewer.emitWithAck('leaderboard:subscribe', {})).toMatchObject({ ok: true });
    expect((await api(server, '/api/evaluations', { cookie: await login(server, 'v@example.com') })).status).toBe(403);

    const member = await connectWith(server, { cookie: await signedIn(server, 'm@example.com', 'member') });
    expect(await member.emitWithAck('eval:watch', { evaluationId: 'x' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const anonymous = await server.connect();
    expect(await anonymous.emitWithAck('eval:next', { evaluationId: 'x' })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await anonymous.emitWithAck('eval:watch', { evaluationId: 'x' })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('in accounts mode gives signed-out visitors the leaderboard only', async () => {
    const server = await startServer({ config: { auth: { mode: 'accounts' } } });
    const guest = await server.connect({ voterId: 'browser-0001' });
    expect(await guest.emitWithAck('battle:start', { prompt: 'hello' })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await guest.emitWithAck('battle:vote', { battleId: 'x', winner: 'a' })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await guest.emitWithAck('leaderboard:subscribe', {})).toMatchObject({ ok: true });
    expect((await api(server, '/api/me')).body).toMatchObject({ mode: 'accounts', role: 'guest', user: null });
    expect((await api(server, '/api/leaderboard')).status).toBe(200);
    expect((await api(server, '/api/evaluations')).status).toBe(401);

    const member = await connectWith(server, { cookie: await signedIn(server, 'm@example.com', 'member') });
    expect(await member.emitWithAck('battle:start', { prompt: 'hello' })).toMatchObject({ ok: true });
  });

  it('takes a demoted user’s rights away from their open socket at once', async () => {
    const server = await startServer();
    const admin = await signedIn(server, 'admin@example.com', 'admin');
    const memberCookie = await signedIn(server, 'm@example.com', 'member');
    const socket = await connectWith(server, { cookie: memberCookie });
    expect(await socket.emitWithAck('battle:start', { prompt: 'hello' })).toMatchObject({ ok: true });
    const users = await api<{ users: Array<{ id: number; email: string }> }>(server, '/api/admin/users', { cookie: admin });
    const id = users.body.users.find((u) => u.email === 'm@example.com')!.id;
    expect((await api(server, `/api/admin/users/${id}`, { method: 'PATCH', cookie: admin, body: { role: 'viewer' } })).status).toBe(200);
    await expect.poll(async () => (await socket.emitWithAck('battle:start', { prompt: 'hello' })).ok).toBe(false);
    const selfDemote = await api(server, `/api/admin/users/1`, { method: 'PATCH', cookie: admin, body: { role: 'member' } });
    expect(selfDemote.body.error?.code).toBe('conflict');
  });
});

describe('trusted proxy', () => {
  const proxyConfig = (addresses: string[]) => ({ auth: { trustedProxy: { addresses, header: 'X-Forwarded-User' } } });

  it('takes the user from the header when the peer is a listed proxy', async () => {
    const server = await startServer({ config: proxyConfig(['127.0.0.1']) });
    await addUser(server, 'sso@example.com', 'member');
    expect((await api(server, '/api/me', { headers: { 'x-forwarded-user': 'SSO@example.com' } })).body).toMatchObject({
      role: 'member',
      user: { email: 'sso@example.com' },
    });
    const socket = await connectWith(server, { 'x-forwarded-user': 'sso@example.com' });
    expect(await socket.emitWithAck('eval:next', { evaluationId: 'none' })).toMatchObject({ error: { code: 'not_found' } });
    // Unknown emails are not created unless defaultRole says so.
    expect((await api(server, '/api/me', { headers: { 'x-forwarded-user': 'stranger@example.com' } })).body).toMatchObject({ role: 'anonymous' });
  });

  it('ignores the header from any other address', async () => {
    const server = await startServer({ config: proxyConfig(['10.9.8.7']) });
    await addUser(server, 'sso@example.com', 'admin');
    expect((await api(server, '/api/me', { headers: { 'x-forwarded-user': 'sso@example.com' } })).body).toMatchObject({ role: 'anonymous', user: null });
    const socket = await connectWith(server, { 'x-forwarded-user': 'sso@example.com' });
    expect(await socket.emitWithAck('eval:watch', { evaluationId: 'x' })).toMatchObject({ error: { code: 'unauthorized' } });
  });
});

describe('cross-site protection', () => {
  it('refuses state-changing requests without the CSRF header or from another origin', async () => {
    const server = await startServer();
    const admin = await signedIn(server, 'admin@example.com', 'admin');
    const noHeader = await api(server, '/api/admin/invites', { cookie: admin, body: { role: 'admin' }, csrf: false });
    expect(noHeader.status).toBe(403);
    expect(noHeader.body.error!.message).toMatch(/cross-site request refused/);
    const evilOrigin = await api(server, '/api/admin/invites', { cookie: admin, body: { role: 'admin' }, headers: { origin: 'http://evil.example' } });
    expect(evilOrigin.status).toBe(403);
    const loginCsrf = await api(server, '/api/auth/login', { body: { email: 'admin@example.com', password: PASSWORD }, csrf: false });
    expect(loginCsrf.status).toBe(403);
    const ok = await api(server, '/api/admin/invites', { cookie: admin, body: { role: 'member' }, headers: { origin: server.url } });
    expect(ok.status).toBe(200);
    // A simple cross-site form post (no custom header possible) changes nothing.
    const form = await fetch(`${server.url}/api/auth/logout`, {
      method: 'POST',
      headers: { cookie: admin, 'content-type': 'text/plain', origin: 'http://evil.example' },
      body: '{}',
    });
    expect(form.status).toBe(403);
    expect((await api(server, '/api/me', { cookie: admin })).body).toMatchObject({ role: 'admin' });
    // A percent-encoded path reaches the same routes: the checks must not be skipped for it.
    const encoded = await api(server, '/%61pi/auth/login', { body: { email: 'admin@example.com', password: PASSWORD }, csrf: false });
    expect(encoded.status).toBe(403);
    expect((await api(server, '/%61pi/admin/users', { cookie: admin })).status).toBe(200);
    expect((await api(server, '/%61pi/admin/users')).status).toBe(401);
  });

  it('answers no foreign Host (DNS rebinding) over HTTP or socket.io, and compares Origin by scheme too', async () => {
    const server = await startServer({ config: { publicOrigins: ['https://arena.example.com'] } });
    const port = new URL(server.url).port;
    // What a rebinding page sends: its own name as Host and as Origin.
    const rebound = await rawRequest(server.url, { host: `evil.example:${port}`, origin: `http://evil.example:${port}` });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body).error.message).toMatch(/publicOrigins/);
    const get = await rawRequest(server.url, { host: `evil.example:${port}` }, 'GET', '/api/leaderboard');
    expect(get.status).toBe(403);
    await expect(connectWith(server, { host: `evil.example:${port}`, origin: `http://evil.example:${port}` })).rejects.toThrow(/host name/);
    // The configured public name and loopback names are served.
    expect((await rawRequest(server.url, { host: 'arena.example.com', origin: 'https://arena.example.com' })).status).toBe(200);
    expect((await rawRequest(server.url, { host: `localhost:${port}`, origin: `http://localhost:${port}` })).status).toBe(200);
    // Same host, other scheme: not our origin.
    expect((await rawRequest(server.url, { host: `127.0.0.1:${port}`, origin: `https://127.0.0.1:${port}` })).status).toBe(403);
    await expect(connectWith(server, { origin: `https://127.0.0.1:${port}` })).rejects.toThrow(/origin not allowed/);
  });

  it('refuses socket handshakes from other origins, allows its own, configured ones and non-browser clients', async () => {
    const server = await startServer({ config: { auth: { allowedOrigins: ['https://arena.example.com'] } } });
    await expect(connectWith(server, { origin: 'http://evil.example' })).rejects.toThrow(/origin not allowed/);
    await connectWith(server, { origin: server.url });
    await connectWith(server, { origin: 'https://arena.example.com' });
    await connectWith(server);
  });
});

/** A request with exactly these headers (fetch will not send a foreign Host); a logout, which needs no session. */
function rawRequest(url: string, headers: Record<string, string>, method = 'POST', path = '/api/auth/logout'): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      { hostname, port, method, path, headers: { ...headers, ...(method === 'POST' && { 'content-type': 'application/json', 'x-arena-csrf': '1' }) } },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(method === 'POST' ? '{}' : undefined);
  });
}
