/**
 * A provider key never leaves its model's configured origin: an upstream answering a redirect to
 * another host gets the answer refused, and the other host never sees a request (or its key).
 */

import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { answers } from '../../db/schema.ts';
import { listServerModels } from '../../server/models/discovery.ts';
import { api, signedIn } from '../support/auth.ts';
import { type ScriptedResponse, useFakeUpstream } from '../support/fake-upstream.ts';
import { useCleanup } from '../support/hooks.ts';
import { playBattle, useTestServer } from '../support/test-server.ts';
import { ANTHROPIC_SSE_HEADERS, ANTHROPIC_TEXT, ANTHROPIC_TEXT_STREAM } from '../support/upstream-fixtures/anthropic.ts';
import { OPENAI_TEXT, OPENAI_TEXT_STREAM } from '../support/upstream-fixtures/openai.ts';

const KEY = 'sk-redirect-test-0123456789';
const cleanup = useCleanup();
const startServer = useTestServer(cleanup);
const upstream = useFakeUpstream(cleanup);

const redirectTo = (location: string, status = 307): ScriptedResponse => ({ status, headers: { location, 'content-type': 'text/plain' }, body: ['moved'] });

const providers = [
  { provider: 'openai' as const, base: (u: string) => `${u}/v1`, keyHeader: 'authorization' },
  { provider: 'anthropic' as const, base: (u: string) => u, keyHeader: 'x-api-key' },
  { provider: 'gemini' as const, base: (u: string) => u, keyHeader: 'x-goog-api-key' },
];

describe('provider redirects', () => {
  for (const p of providers) {
    it(`${p.provider}: a redirect to another origin is refused and the other host receives nothing`, async () => {
      const origin = await upstream();
      const elsewhere = await upstream();
      origin.enqueue(redirectTo(`${elsewhere.url}/steal`), redirectTo(`${elsewhere.url}/steal`, 308));
      const models = ['r-1', 'r-2'].map((id) => ({ id, name: id, provider: p.provider, baseUrl: p.base(origin.url), apiKeyEnv: 'REDIRECT_KEY', model: 'm' }));
      const server = await startServer({ models, deps: { env: { REDIRECT_KEY: KEY } } });
      const socket = await server.connect({ voterId: `redirect-${p.provider}` });
      const battleId = await playBattle(socket);

      expect(origin.requests).toHaveLength(2);
      expect(origin.requests.every((r) => JSON.stringify(r.headers[p.keyHeader]).includes(KEY))).toBe(true);
      expect(elsewhere.requests).toHaveLength(0);
      const stored = server.app.db.select().from(answers).where(eq(answers.battleId, battleId)).all();
      expect(stored.map((a) => a.errorKind)).toEqual(['http', 'http']);
      expect(stored[0]!.errorMessage).toMatch(/redirected to another origin/);
      expect(stored[0]!.errorMessage).not.toContain(KEY);
    });
  }

  it('follows a 307 within the configured origin, keeping the POST and its body', async () => {
    const origin = await upstream();
    origin.enqueue(redirectTo('/v2/chat/completions'), { body: OPENAI_TEXT_STREAM }, redirectTo('/v2/chat/completions'), { body: OPENAI_TEXT_STREAM });
    const models = ['s-1', 's-2'].map((id) => ({ id, name: id, provider: 'openai' as const, baseUrl: `${origin.url}/v1`, model: 'm' }));
    const server = await startServer({ models });
    const socket = await server.connect({ voterId: 'same-origin-redirect' });
    const battleId = await playBattle(socket);
    const stored = server.app.db.select().from(answers).where(eq(answers.battleId, battleId)).all();
    expect(stored.map((a) => a.content)).toEqual([OPENAI_TEXT, OPENAI_TEXT]);
    const followed = origin.requests.filter((r) => r.path === '/v2/chat/completions');
    expect(followed).toHaveLength(2);
    expect(followed.every((r) => r.method === 'POST' && (r.body as { stream?: boolean }).stream === true)).toBe(true);
  });

  it('the admin model test refuses the redirect too', async () => {
    const origin = await upstream();
    const elsewhere = await upstream();
    elsewhere.enqueue({ headers: ANTHROPIC_SSE_HEADERS, body: ANTHROPIC_TEXT_STREAM });
    origin.enqueue(redirectTo(`${elsewhere.url}/v1/messages`));
    const models = [
      { id: 'a-1', name: 'a-1', provider: 'anthropic' as const, baseUrl: origin.url, apiKeyEnv: 'REDIRECT_KEY', model: 'm', enabled: false },
      { id: 'demo-1', name: 'd1', provider: 'demo' as const, tokensPerSecond: 0 },
      { id: 'demo-2', name: 'd2', provider: 'demo' as const, tokensPerSecond: 0 },
    ];
    const server = await startServer({ models, deps: { env: { REDIRECT_KEY: KEY } } });
    const admin = await signedIn(server, 'admin@example.com', 'admin');
    const tested = await api<{ result: { ok: boolean; firstTokens?: string } }>(server, '/api/admin/models/a-1/test', { cookie: admin, body: {} });
    expect(tested.status).toBe(200);
    expect(tested.body.result.ok).toBe(false);
    expect(JSON.stringify(tested.body)).not.toContain(ANTHROPIC_TEXT);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('discovery does not follow a redirect to another origin', async () => {
    const origin = await upstream();
    const elsewhere = await upstream();
    origin.enqueue(redirectTo(`${elsewhere.url}/v1/models`, 302));
    await expect(listServerModels(`${origin.url}/v1`)).rejects.toThrow(/redirected to another origin/);
    expect(elsewhere.requests).toHaveLength(0);
  });
});
