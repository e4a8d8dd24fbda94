import { describe, expect, it } from 'vitest';
import { Discovery, listServerModels } from '../../server/models/discovery.ts';
import { api, signedIn } from '../support/auth.ts';
import { closedPortUrl, SSE_HEADERS, useFakeUpstream } from '../support/fake-upstream.ts';
import { useCleanup } from '../support/hooks.ts';
import { fastDemoModels, useTestServer } from '../support/test-server.ts';

const cleanup = useCleanup();
const startServer = useTestServer(cleanup);
const startUpstream = useFakeUpstream(cleanup);

// What Ollama answers on GET /v1/models.
const OLLAMA_MODELS = JSON.stringify({
  object: 'list',
  data: [
    { id: 'llama3.1:8b', object: 'model', created: 1730000000, owned_by: 'library' },
    { id: 'qwen2.5:7b-instruct', object: 'model', created: 1730000001, owned_by: 'library' },
  ],
});

describe('model discovery', () => {
  it('lists the models an OpenAI-compatible server offers', async () => {
    const upstream = await startUpstream();
    upstream.enqueue({ status: 200, headers: { 'content-type': 'application/json' }, body: [OLLAMA_MODELS] });
    const found = await listServerModels(`${upstream.url}/v1`);
    expect(upstream.requests[0]).toMatchObject({ method: 'GET', path: '/v1/models' });
    expect(found.map((m) => m.model)).toEqual(['llama3.1:8b', 'qwen2.5:7b-instruct']);
    expect(found[0]).toMatchObject({ suggestedId: 'local-llama3.1-8b', baseUrl: `${upstream.url}/v1` });
  });

  it('reports servers that do not answer without failing', async () => {
    const upstream = await startUpstream();
    upstream.enqueue({ status: 200, headers: { 'content-type': 'application/json' }, body: [OLLAMA_MODELS] });
    const dead = `${await closedPortUrl()}/v1`;
    const discovery = new Discovery({ servers: [dead, `${upstream.url}/v1`] });
    await discovery.refresh();
    const snap = discovery.snapshot();
    expect(snap.models).toHaveLength(2);
    expect(snap.unreachable.map((u) => u.baseUrl)).toEqual([dead]);
    expect(snap.lastRun).not.toBeNull();
  });

  it('finds an Ollama elsewhere (another container) through OLLAMA_BASE_URL', async () => {
    const upstream = await startUpstream();
    upstream.enqueue({ status: 200, headers: { 'content-type': 'application/json' }, body: [OLLAMA_MODELS] });
    const server = await startServer({ deps: { env: { OLLAMA_BASE_URL: `${upstream.url}/v1` } } });
    await expect.poll(() => server.app.discovery.snapshot().models.map((m) => m.model)).toEqual(['llama3.1:8b', 'qwen2.5:7b-instruct']);
    expect(upstream.requests[0]).toMatchObject({ method: 'GET', path: '/v1/models' });
  });
});

describe('model registry', () => {
  it('adds and enables models live, keeps file-defined models read-only but switchable, and persists the switch', async () => {
    let server = await startServer();
    const { registry } = server.app;
    await registry.add({ id: 'added', name: 'Added Model', provider: 'demo', model: 'verse', tokensPerSecond: 0 });
    const models = (await (await fetch(`${server.url}/api/models`)).json()) as { models: Array<{ id: string }> };
    expect(models.models.map((m) => m.id)).toContain('added');
    await expect(registry.add({ id: 'added', name: 'Again', provider: 'demo' })).rejects.toThrow(/exists/);
    await expect(registry.update('model-alpha', { name: 'Renamed' })).rejects.toThrow(/only "enabled"/);
    await registry.update('model-alpha', { enabled: false });
    await registry.update('added', { name: 'Added, renamed', weight: 2 });
    expect(registry.get('added')).toMatchObject({ name: 'Added, renamed', weight: 2 });
    const dir = server.dir;
    await server.close();

    // Restart with the same config: the admin's switch survives, the added model too.
    server = await startServer({ dir });
    expect(server.app.registry.get('model-alpha')!.enabled).toBe(false);
    expect(server.app.registry.get('added')).toMatchObject({ name: 'Added, renamed', enabled: true });
    const after = (await (await fetch(`${server.url}/api/models`)).json()) as { models: Array<{ id: string }> };
    expect(after.models.map((m) => m.id)).not.toContain('model-alpha');
  });
});

describe('model registry over the admin API', () => {
  it('lets an admin list, add, edit, switch and test models live; members and anonymous visitors get nothing', async () => {
    const upstream = await startUpstream();
    const server = await startServer({ deps: { env: { ARENA_KEY_TEST: 'sk-registry-secret-123456', HOME_SECRET: 'not-for-models' } } });
    const admin = await signedIn(server, 'admin@example.com', 'admin');
    const member = await signedIn(server, 'member@example.com', 'member');

    for (const [method, path, body] of [
      ['GET', '/api/admin/models', undefined],
      ['POST', '/api/admin/models', { id: 'x', name: 'x', provider: 'demo' }],
      ['PATCH', '/api/admin/models/model-alpha', { enabled: false }],
      ['POST', '/api/admin/models/model-alpha/test', {}],
      ['POST', '/api/admin/discovery/refresh', {}],
    ] as const) {
      expect((await api(server, path, { method, body, cookie: member })).status, `${method} ${path} as member`).toBe(403);
      expect((await api(server, path, { method, body })).status, `${method} ${path} anonymous`).toBe(401);
    }

    // Adding an enabled model tests it first (see 'switching a model on'): this upstream answers.
    upstream.enqueue(healthyAnswer());
    const added = await api<{ model: { id: string; apiKeySet: boolean; source: string } }>(server, '/api/admin/models', {
      cookie: admin,
      body: {
        id: 'remote',
        name: 'Remote Model',
        provider: 'openai',
        baseUrl: `${upstream.url}/v1`,
        model: 'remote-7b',
        apiKeyEnv: 'ARENA_KEY_TEST',
        pricing: { inputPerMillion: 1, outputPerMillion: 2 },
      },
    });
    expect(added.status).toBe(200);
    expect(added.body.model).toMatchObject({ id: 'remote', apiKeySet: true, source: 'admin' });
    expect(JSON.stringify(added.body)).not.toContain('sk-registry-secret');

    // Keys are never sent somewhere new: only ARENA_KEY_* variables, or a config key towards its own origin.
    const exfil = await api(server, '/api/admin/models', {
      cookie: admin,
      body: { id: 'exfil', name: 'Exfil', provider: 'openai', baseUrl: `${upstream.url}/v1`, apiKeyEnv: 'HOME_SECRET' },
    });
    expect(exfil.status).toBe(403);
    expect(exfil.body.error).toMatchObject({ code: 'forbidden', field: 'apiKeyEnv' });

    const bad = await api(server, '/api/admin/models', { cookie: admin, body: { id: 'bad id!', name: 'x', provider: 'nope' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_input' });
    const fileModel = await api(server, '/api/admin/models/model-alpha', { method: 'PATCH', cookie: admin, body: { name: 'Renamed' } });
    expect(fileModel.status).toBe(409);
    expect((await api(server, '/api/admin/models/model-alpha', { method: 'PATCH', cookie: admin, body: { enabled: false } })).status).toBe(200);

    // The test button: a short real request through the model's own wire protocol.
    upstream.enqueue({
      status: 200,
      headers: SSE_HEADERS,
      body: [
        'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"remote-7b","choices":[{"index":0,"delta":{"role":"assistant","content":"Hello there"},"finish_reason":null}]}\n\n',
        'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"remote-7b","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}}\n\n',
        'data: [DONE]\n\n',
      ],
    });
    const tested = await api<{ result: { ok: boolean; sample: string; totalMs: number; status: number | null } }>(server, '/api/admin/models/remote/test', {
      cookie: admin,
      body: {},
    });
    expect(tested.body.result).toMatchObject({ ok: true, status: 200, sample: 'Hello there' });
    expect(upstream.requests.at(-1)).toMatchObject({ path: '/v1/chat/completions' });
    expect(upstream.requests.at(-1)!.headers.authorization).toBe('Bearer sk-registry-secret-123456');

    const list = await api<{ models: Array<{ id: string; enabled: boolean }> }>(server, '/api/admin/models', { cookie: admin });
    expect(list.body.models.find((m) => m.id === 'model-alpha')!.enabled).toBe(false);
    expect(JSON.stringify(list.body)).not.toContain('sk-registry-secret');
    const publicList = (await (await fetch(`${server.url}/api/models`)).json()) as { models: Array<{ id: string }> };
    expect(publicList.models.map((m) => m.id).sort()).toEqual(['model-bravo', 'model-charlie', 'remote']);

    const audit = await api<{ entries: Array<{ action: string; target: string }> }>(server, '/api/admin/audit', { cookie: admin });
    expect(audit.body.entries.map((e) => e.action)).toEqual(expect.arrayContaining(['model.add', 'model.update', 'model.test']));
  });
});

/** A short, finished OpenAI-style stream: what a healthy upstream answers the model test. */
const healthyAnswer = () => ({
  status: 200,
  headers: SSE_HEADERS,
  body: [
    'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"Hi!"},"finish_reason":null}]}\n\n',
    'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n',
    'data: [DONE]\n\n',
  ],
});
const notFound = () => ({ status: 404, headers: { 'content-type': 'application/json' }, body: ['{"error":{"message":"no such model"}}'] });

describe('switching a model on', () => {
  it('runs the model test first and refuses (409, with the result) a model that fails it, unless told ?force=1', async () => {
    const upstream = await startUpstream();
    const server = await startServer({ deps: { env: { HOME_SECRET: 'not-for-models' } } });
    const admin = await signedIn(server, 'admin@example.com', 'admin');
    const entry = { id: 'flaky', name: 'Flaky', provider: 'openai', baseUrl: `${upstream.url}/v1`, model: 'flaky-1' };
    const publicIds = async () => ((await (await fetch(`${server.url}/api/models`)).json()) as { models: Array<{ id: string }> }).models.map((m) => m.id);
    type CheckReply = { model: { enabled: boolean }; check: { ok: boolean; status: number | null } | null };

    // Adding an enabled model whose upstream fails: refused, nothing stored, the check result attached.
    upstream.enqueue(notFound());
    const refused = await api(server, '/api/admin/models', { cookie: admin, body: entry });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'conflict',
      field: 'enabled',
      check: { ok: false, status: 404, error: { kind: 'http', message: 'HTTP 404 from upstream' } },
    });
    expect(refused.body.error!.message).toMatch(/HTTP 404 from upstream/);
    expect(server.app.registry.get('flaky')).toBeUndefined();
    expect(upstream.requests).toHaveLength(1);

    // Told to enable it anyway: no second test, the model goes live.
    const forced = await api<CheckReply>(server, '/api/admin/models?force=1', { cookie: admin, body: entry });
    expect(forced.status).toBe(200);
    expect(forced.body).toMatchObject({ model: { enabled: true }, check: null });
    expect(upstream.requests).toHaveLength(1);
    expect(await publicIds()).toContain('flaky');

    // Switching off needs no test; switching on again does, and a failure leaves it off.
    expect((await api(server, '/api/admin/models/flaky', { method: 'PATCH', cookie: admin, body: { enabled: false } })).status).toBe(200);
    expect(upstream.requests).toHaveLength(1);
    upstream.enqueue(notFound());
    const reEnable = await api(server, '/api/admin/models/flaky', { method: 'PATCH', cookie: admin, body: { enabled: true } });
    expect(reEnable.status).toBe(409);
    expect(reEnable.body.error).toMatchObject({ code: 'conflict', field: 'enabled', check: { ok: false } });
    expect(server.app.registry.get('flaky')!.enabled).toBe(false);
    expect(await publicIds()).not.toContain('flaky');

    // Once the upstream answers, switching on passes and returns the passing result.
    upstream.enqueue(healthyAnswer());
    const healthy = await api<CheckReply>(server, '/api/admin/models/flaky', { method: 'PATCH', cookie: admin, body: { enabled: true } });
    expect(healthy.status).toBe(200);
    expect(healthy.body).toMatchObject({ model: { enabled: true }, check: { ok: true, status: 200 } });
    expect(upstream.requests).toHaveLength(3);

    // Pointing an enabled model somewhere else tests the new place.
    upstream.enqueue(notFound());
    const moved = await api(server, '/api/admin/models/flaky', { method: 'PATCH', cookie: admin, body: { model: 'gone-1' } });
    expect(moved.status).toBe(409);
    expect(server.app.registry.get('flaky')!.model).toBe('flaky-1');
    // Renaming changes nothing about how it is reached: no test.
    expect((await api(server, '/api/admin/models/flaky', { method: 'PATCH', cookie: admin, body: { name: 'Flaky 2' } })).status).toBe(200);
    expect(upstream.requests).toHaveLength(4);

    // Models added switched off, and demo models, are not tested.
    expect((await api(server, '/api/admin/models', { cookie: admin, body: { ...entry, id: 'off', enabled: false } })).status).toBe(200);
    expect((await api(server, '/api/admin/models', { cookie: admin, body: { id: 'poet', name: 'Poet', provider: 'demo', model: 'verse' } })).status).toBe(200);
    expect(upstream.requests).toHaveLength(4);

    // The key rules are checked before any test request: a key never reaches a new server, not even for the test.
    const exfil = await api(server, '/api/admin/models', { cookie: admin, body: { ...entry, id: 'exfil', apiKeyEnv: 'HOME_SECRET' } });
    expect(exfil.status).toBe(403);
    expect(upstream.requests).toHaveLength(4);
    const badForce = await api(server, '/api/admin/models/flaky?force=yes', { method: 'PATCH', cookie: admin, body: { enabled: true } });
    expect(badForce.status).toBe(400);
    expect(badForce.body.error).toMatchObject({ code: 'invalid_input', field: 'force' });
  });
});

describe('API keys named in the config file', () => {
  it('may be reused by admin-added models only towards the origin they were configured for', async () => {
    const server = await startServer({
      models: [
        ...fastDemoModels,
        { id: 'vendor', name: 'Vendor', provider: 'openai', baseUrl: 'https://llm.example.com/v1', model: 'v1', apiKeyEnv: 'VENDOR_KEY', enabled: false },
      ],
    });
    const { registry } = server.app;
    await expect(
      registry.add({ id: 'steal', name: 'Steal', provider: 'openai', baseUrl: 'https://attacker.example/v1', apiKeyEnv: 'VENDOR_KEY' }),
    ).rejects.toThrow(/only/);
    await expect(registry.add({ id: 'steal2', name: 'Steal', provider: 'openai', apiKeyEnv: 'VENDOR_KEY' })).rejects.toThrow(/only/);
    await registry.add({ id: 'vendor-2', name: 'Vendor 2', provider: 'openai', baseUrl: 'https://llm.example.com/v1', model: 'v2', apiKeyEnv: 'VENDOR_KEY' });
    await expect(registry.update('vendor-2', { baseUrl: 'https://attacker.example/v1' })).rejects.toThrow(/only/);
  });
});

describe('imported models', () => {
  it('cannot be switched on before they have an endpoint or a key', async () => {
    const server = await startServer();
    const { registry } = server.app;
    await registry.add({ id: 'from-history', name: 'From history', provider: 'openai', model: 'gpt-x', enabled: false });
    await expect(registry.update('from-history', { enabled: true })).rejects.toThrow(/without a key/);
    await registry.update('from-history', { baseUrl: 'http://127.0.0.1:9/v1', enabled: true });
    expect(registry.get('from-history')!.enabled).toBe(true);
  });
});
