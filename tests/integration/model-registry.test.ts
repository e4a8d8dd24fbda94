import { afterEach, describe, expect, it } from 'vitest';
import { Discovery, listServerModels } from '../../server/models/discovery.ts';
import { closedPortUrl, startFakeUpstream, type FakeUpstream } from '../support/fake-upstream.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let upstream: FakeUpstream | undefined;
let server: TestServer | undefined;
afterEach(async () => {
  await upstream?.close();
  await server?.stop();
  upstream = undefined;
  server = undefined;
});

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
    upstream = await startFakeUpstream();
    upstream.enqueue({ status: 200, headers: { 'content-type': 'application/json' }, body: [OLLAMA_MODELS] });
    const found = await listServerModels(`${upstream.url}/v1`);
    expect(upstream.requests[0]).toMatchObject({ method: 'GET', path: '/v1/models' });
    expect(found.map((m) => m.model)).toEqual(['llama3.1:8b', 'qwen2.5:7b-instruct']);
    expect(found[0]).toMatchObject({ suggestedId: 'local-llama3.1-8b', baseUrl: `${upstream.url}/v1` });
  });

  it('reports servers that do not answer without failing', async () => {
    upstream = await startFakeUpstream();
    upstream.enqueue({ status: 200, headers: { 'content-type': 'application/json' }, body: [OLLAMA_MODELS] });
    const dead = `${await closedPortUrl()}/v1`;
    const discovery = new Discovery({ servers: [dead, `${upstream.url}/v1`] });
    await discovery.refresh();
    const snap = discovery.snapshot();
    expect(snap.models).toHaveLength(2);
    expect(snap.unreachable.map((u) => u.baseUrl)).toEqual([dead]);
    expect(snap.lastRun).not.toBeNull();
  });
});

describe('model registry', () => {
  it('adds and enables models live, keeps file-defined models read-only but switchable, and persists the switch', async () => {
    server = await startTestServer();
    const { registry } = server.app;
    registry.add({ id: 'added', name: 'Added Model', provider: 'demo', model: 'verse', tokensPerSecond: 0 });
    const models = (await (await fetch(`${server.url}/api/models`)).json()) as { models: Array<{ id: string }> };
    expect(models.models.map((m) => m.id)).toContain('added');
    expect(() => registry.add({ id: 'added', name: 'Again', provider: 'demo' })).toThrow(/exists/);
    expect(() => registry.update('model-alpha', { name: 'Renamed' })).toThrow(/only "enabled"/);
    registry.update('model-alpha', { enabled: false });
    registry.update('added', { name: 'Added, renamed', weight: 2 });
    expect(registry.get('added')).toMatchObject({ name: 'Added, renamed', weight: 2 });
    const dir = server.dir;
    await server.close();

    // Restart with the same config: the admin's switch survives, the added model too.
    server = await startTestServer({ dir });
    expect(server.app.registry.get('model-alpha')!.enabled).toBe(false);
    expect(server.app.registry.get('added')).toMatchObject({ name: 'Added, renamed', enabled: true });
    const after = (await (await fetch(`${server.url}/api/models`)).json()) as { models: Array<{ id: string }> };
    expect(after.models.map((m) => m.id)).not.toContain('model-alpha');
  });
});
