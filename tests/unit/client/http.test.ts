import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, api, routeUrl } from '../../../client/src/lib/http.ts';
import { fakeFetch } from './fake-http.ts';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the typed HTTP helper', () => {
  it('fills in and encodes path parameters, and appends the query without unset values', () => {
    expect(routeUrl('GET /api/admin/evaluations/:id/items/:itemId', { params: { id: 'ev-1', itemId: 'q 1/2' } })).toBe(
      '/api/admin/evaluations/ev-1/items/q%201%2F2',
    );
    expect(routeUrl('GET /api/admin/evaluations/:id/items', { params: { id: 'ev-1' }, query: { only: 'reasons', offset: 20, limit: undefined } })).toBe(
      '/api/admin/evaluations/ev-1/items?only=reasons&offset=20',
    );
    expect(routeUrl('GET /api/admin/evaluations/:id/export.jsonl', { params: { id: 'ev-1' }, query: { identities: '1' } })).toBe(
      '/api/admin/evaluations/ev-1/export.jsonl?identities=1',
    );
    expect(routeUrl('GET /api/me')).toBe('/api/me');
  });

  it('sends the CSRF header on every state-changing request, `{}` for a POST without a body and nothing for a DELETE', async () => {
    const requests = fakeFetch(() => ({ json: { ok: true } }));
    await api('GET /api/admin/users');
    await api('POST /api/auth/logout');
    await api('PATCH /api/admin/models/:id', { params: { id: 'local/llama 3' }, query: { force: '1' }, body: { enabled: true } });
    await api('DELETE /api/admin/invites/:id', { params: { id: 7 } });
    expect(requests).toEqual([
      { method: 'GET', url: '/api/admin/users', headers: {}, body: undefined },
      { method: 'POST', url: '/api/auth/logout', headers: { 'x-arena-csrf': '1', 'content-type': 'application/json' }, body: {} },
      {
        method: 'PATCH',
        url: '/api/admin/models/local%2Fllama%203?force=1',
        headers: { 'x-arena-csrf': '1', 'content-type': 'application/json' },
        body: { enabled: true },
      },
      { method: 'DELETE', url: '/api/admin/invites/7', headers: { 'x-arena-csrf': '1' }, body: undefined },
    ]);
  });

  it('resolves to the answer of a success, bare older answers included', async () => {
    fakeFetch(() => ({ json: { models: [{ id: 'm1', name: 'One', demo: true }] } }));
    const { models } = await api('GET /api/models');
    expect(models[0]!.name).toBe('One');
  });

  it("throws the server's error envelope as ApiError, and a bodiless failure as HTTP <status>", async () => {
    const check = {
      ok: false,
      status: 404,
      ttftMs: null,
      totalMs: 3,
      outputTokens: 0,
      sample: '',
      error: { kind: 'http' as const, message: 'HTTP 404 from upstream' },
    };
    fakeFetch((_, url) =>
      url.startsWith('/api/admin/models')
        ? { status: 409, json: { ok: false, error: { code: 'conflict', message: 'failed its test', check } } }
        : { status: 502, text: '<html>' },
    );
    const refused = await api('POST /api/admin/models', { body: { id: 'm', name: 'M', provider: 'openai' } }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).body).toEqual({ code: 'conflict', message: 'failed its test', check });
    expect((refused as ApiError).fromServer).toBe(true);
    const proxy = await api('GET /api/me').catch((err: unknown) => err);
    expect(proxy).toMatchObject({ message: 'HTTP 502', fromServer: false, body: { code: 'internal' } });
  });
});
