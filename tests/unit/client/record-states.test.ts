import { afterEach, describe, expect, it, vi } from 'vitest';
import { BattleRecordState } from '../../../client/src/lib/battle-record.svelte.ts';
import { ModelProfileState } from '../../../client/src/lib/model-profile.svelte.ts';
import { SnapshotAdminState, SnapshotState, viewFrom } from '../../../client/src/lib/snapshots.svelte.ts';
import type { BattleDetail, ModelProfile, Snapshot } from '../../../protocol/standings.ts';
import { fakeFetch } from './fake-http.ts';

const refusal = (status: number, code: string) => ({ status, json: { ok: false, error: { code, message: `${code} message` } } });

/** What the server sends for a model with no finished battle yet. */
const PROFILE: ModelProfile = {
  model: { id: 'model-alpha', name: 'Alpha Secret', demo: true, organization: null, license: null, deprecated: false },
  standing: null,
  history: [],
  opponents: [],
  categories: [],
  speed: null,
  distributions: { latencyMs: [], tokensPerSecond: [], costUsd: [] },
  recentBattles: [],
};

const VIEW = { method: 'bt', category: 'all', votes: 'blind', deprecated: '0', styleControl: '0', minVotes: 0 } as const;
const SNAPSHOT: Snapshot = {
  id: 'Xq3v9_snapshot-1',
  name: '2026년 12월 순위',
  createdAt: '2026-12-01T12:00:00.000Z',
  createdBy: '1',
  view: VIEW,
  softwareVersion: 'arena 0.1.0',
  votesHash: '7073ace48ceb46e897e32d9508a971978c102b2581895619d6733ec763fa2e30',
  votes: 0,
  bootstrap: { rounds: 100, seed: 1 },
  eloK: 4,
  standings: {
    method: 'bt',
    view: VIEW,
    minVotes: 0,
    computedAt: '2026-12-01T12:00:00.000Z',
    votes: 0,
    stale: false,
    converged: true,
    componentCount: 0,
    notes: [],
    warnings: [],
    bootstrap: { rounds: 100, seed: 1 },
    intervals: { method: 'bootstrap', clustered: false, prior: null },
    models: [],
    provisional: [],
    neighbours: [],
    pairs: { models: [], battles: [], predicted: [], observed: [] },
    fronts: { cost: [], tokensPerSecond: [], ttft: [] },
    style: null,
    promptDedup: null,
  },
};

const detail: BattleDetail = {
  id: 'b 1/2',
  createdAt: '2026-11-02T09:00:00.000Z',
  status: 'ready',
  mode: 'arena',
  prompt: 'p',
  turns: 1,
  models: null,
  winner: null,
  categories: [],
  conversation: [],
};

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('BattleRecordState', () => {
  it('loads a battle by its encoded id', async () => {
    const requests = fakeFetch(() => ({ json: { ok: true, battle: detail } }));
    const record = new BattleRecordState();
    await record.load('b 1/2');
    expect(requests[0]!.url).toBe('/api/battles/b%201%2F2');
    expect(record.battle).toEqual(detail);
    expect([record.refusal, record.error, record.loading]).toEqual([null, null, false]);
  });

  it('tells a battle the asker may not see (not found, sign in, role) from a failure to answer', async () => {
    const record = new BattleRecordState();
    for (const [status, code] of [
      [404, 'not_found'],
      [401, 'unauthorized'],
      [403, 'forbidden'],
    ] as const) {
      fakeFetch(() => refusal(status, code));
      await record.load('x');
      expect(record.refusal).toBe(code);
      expect(record.battle).toBeNull();
      expect(record.error).toBeNull();
    }
    fakeFetch(() => ({ status: 502, text: '<html>bad gateway</html>' }));
    await record.load('x');
    expect(record.refusal).toBeNull();
    expect(record.error).toEqual({ code: 'internal', message: 'HTTP 502' });
    fakeFetch(() => refusal(500, 'internal'));
    await record.load('x');
    expect([record.refusal, record.error]).toEqual([null, { code: 'internal', message: 'internal message' }]);
    // No answer at all: the page words it as the service being unavailable.
    fakeFetch(() => new TypeError('Failed to fetch'));
    await record.load('x');
    expect([record.refusal, record.error]).toEqual([null, { code: 'unavailable', message: 'Failed to fetch' }]);
  });
});

describe('ModelProfileState', () => {
  it('loads the profile, and an unknown model is refused as not found', async () => {
    const requests = fakeFetch((_, url) => (url.includes('model-alpha') ? { json: { ok: true, profile: PROFILE } } : refusal(404, 'not_found')));
    const state = new ModelProfileState();
    await state.load('model-alpha');
    expect(state.profile?.model.name).toBe('Alpha Secret');
    await state.load('local/llama 3');
    expect(requests[1]!.url).toBe('/api/models/local%2Fllama%203/profile');
    expect([state.profile, state.refusal]).toEqual([null, 'not_found']);
  });

  it('takes an id the server refuses as malformed for a model that is not there, and other bad input for an error', async () => {
    const invalid = (field: string) => ({ status: 400, json: { ok: false, error: { code: 'invalid_input', message: `${field}: must be a model id`, field } } });
    const state = new ModelProfileState();
    fakeFetch(() => invalid('id'));
    await state.load('no such/model');
    expect([state.profile, state.refusal, state.error]).toEqual([null, 'not_found', null]);
    const snapshot = new SnapshotState();
    await snapshot.load('no such snapshot');
    expect([snapshot.snapshot, snapshot.refusal]).toEqual([null, 'not_found']);
    fakeFetch(() => invalid('q'));
    await state.load('model-alpha');
    expect([state.refusal, state.error]).toEqual([null, { code: 'invalid_input', message: 'q: must be a model id', field: 'q' }]);
  });
});

describe('snapshots', () => {
  it('loads one published snapshot, or says it does not exist', async () => {
    fakeFetch((_, url) => (url === `/api/snapshots/${SNAPSHOT.id}` ? { json: { ok: true, snapshot: SNAPSHOT } } : refusal(404, 'not_found')));
    const state = new SnapshotState();
    await state.load(SNAPSHOT.id);
    expect(state.snapshot?.votesHash).toBe(SNAPSHOT.votesHash);
    await state.load('nope');
    expect([state.snapshot, state.refusal]).toEqual([null, 'not_found']);
  });

  it('reads the view a link carries, leaving out what it does not name', () => {
    expect(viewFrom(new URLSearchParams('method=bt&category=lang%3Ako&from=2026-11-01&minVotes=30&other=1'))).toEqual({
      method: 'bt',
      category: 'lang:ko',
      from: '2026-11-01',
      minVotes: 30,
    });
    expect(viewFrom(new URLSearchParams(''))).toEqual({});
  });

  it('publishes a view under a name, lists it first, and names the field the server refuses', async () => {
    const { standings: _, ...older } = { ...SNAPSHOT, id: 'old', createdAt: '2026-01-01T00:00:00.000Z' };
    const { standings: __, ...newer } = { ...SNAPSHOT, id: 'new', createdAt: '2026-06-01T00:00:00.000Z' };
    const published = { ...SNAPSHOT, id: 'snap-3', name: '12월' };
    const requests = fakeFetch((method) =>
      method === 'GET' ? { json: { ok: true, snapshots: [older, newer] } } : { json: { ok: true, snapshot: published } },
    );
    const admin = new SnapshotAdminState();
    await admin.load();
    expect(admin.snapshots?.map((s) => s.id)).toEqual(['new', 'old']);
    const snapshot = await admin.publish({ name: '12월', view: { method: 'bt', category: 'lang:ko' } });
    expect(snapshot?.id).toBe('snap-3');
    expect(requests[1]).toMatchObject({ method: 'POST', url: '/api/admin/snapshots', body: { name: '12월', view: { method: 'bt', category: 'lang:ko' } } });
    expect(admin.snapshots?.map((s) => s.id)).toEqual(['snap-3', 'new', 'old']);
    expect(admin.snapshots?.[0]).not.toHaveProperty('standings');

    fakeFetch(() => ({ status: 400, json: { ok: false, error: { code: 'invalid_input', message: 'view.from: must be a date', field: 'view.from' } } }));
    expect(await admin.publish({ name: 'x', view: { from: 'yesterday' } })).toBeNull();
    expect([admin.error, admin.field, admin.publishing]).toEqual(['view.from: must be a date', 'view.from', false]);
  });
});
