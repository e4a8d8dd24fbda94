import { describe, expect, it } from 'vitest';
import { errorDetail, httpError, joinUrl, mergeExtra, parseRetryAfter, retryDelayInBody } from '../../server/providers/sse.ts';

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-06-01T12:00:00Z');
  const headers = (init: Record<string, string>) => new Headers(init);

  it('reads seconds, fractional seconds and milliseconds', () => {
    expect(parseRetryAfter(headers({ 'retry-after': '20' }), now)).toBe(20_000);
    expect(parseRetryAfter(headers({ 'retry-after': '1.5' }), now)).toBe(1500);
    expect(parseRetryAfter(headers({ 'retry-after-ms': '250' }), now)).toBe(250);
    expect(parseRetryAfter(headers({ 'retry-after': '9', 'retry-after-ms': '8500.4' }), now)).toBe(8500);
  });

  it('reads an HTTP date relative to now, never negative', () => {
    expect(parseRetryAfter(headers({ 'retry-after': 'Sun, 01 Jun 2025 12:00:30 GMT' }), now)).toBe(30_000);
    expect(parseRetryAfter(headers({ 'retry-after': 'Sun, 01 Jun 2025 11:59:00 GMT' }), now)).toBe(0);
  });

  it('ignores missing or unreadable values', () => {
    expect(parseRetryAfter(headers({}), now)).toBeUndefined();
    expect(parseRetryAfter(headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(parseRetryAfter(headers({ 'retry-after-ms': 'x', 'retry-after': '3' }), now)).toBe(3000);
  });
});

describe('errorDetail', () => {
  it('finds the message in the shapes services use', () => {
    expect(errorDetail('{"error":{"message":"bad model","type":"invalid_request_error"}}')).toBe('bad model');
    expect(errorDetail('{"error":"model \\"llama3\\" not found, try pulling it first"}')).toBe('model "llama3" not found, try pulling it first');
    expect(errorDetail('{"object":"error","message":"The model `x` does not exist.","type":"NotFoundError","code":404}')).toBe('The model `x` does not exist.');
    expect(errorDetail('{"detail":"Not Found"}')).toBe('Not Found');
    expect(errorDetail('[{"error":{"code":400,"message":"Invalid JSON payload"}}]')).toBe('Invalid JSON payload');
  });

  it('falls back to the text, or the title of an HTML page', () => {
    expect(errorDetail('upstream connect error\n')).toBe('upstream connect error');
    expect(errorDetail('<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>')).toBe('502 Bad Gateway');
    expect(errorDetail('')).toBe('');
  });
});

describe('retryDelayInBody', () => {
  it('reads google.rpc.RetryInfo', () => {
    const body = JSON.stringify({
      error: { code: 429, details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '2.500s' }] },
    });
    expect(retryDelayInBody(body)).toBe(2500);
    expect(retryDelayInBody('{"error":{"code":429}}')).toBeUndefined();
    expect(retryDelayInBody('retryDelay but not JSON')).toBeUndefined();
  });
});

describe('httpError', () => {
  it('builds a short one-line message with the key redacted', async () => {
    const key = 'my-secret-key-123';
    const res = new Response(`{"error":{"message":"Key ${key}\\n is\\n   not allowed"}}`, { status: 403, statusText: 'Forbidden' });
    const err = await httpError(res, key);
    expect(err.kind).toBe('http');
    expect(err.status).toBe(403);
    expect(err.message).toBe('HTTP 403 from upstream: Key [redacted] is not allowed');
  });

  it('uses the status text when the body is empty and bounds long messages', async () => {
    expect((await httpError(new Response('', { status: 502, statusText: 'Bad Gateway' }), undefined)).message).toBe('HTTP 502 from upstream: Bad Gateway');
    const long = await httpError(new Response('x'.repeat(5000), { status: 500 }), undefined);
    expect(long.message.length).toBeLessThanOrEqual(330);
  });
});

describe('request helpers', () => {
  it('joins base URLs without doubled slashes', () => {
    expect(joinUrl('http://localhost:11434/v1/', '/chat/completions')).toBe('http://localhost:11434/v1/chat/completions');
    expect(joinUrl('https://api.anthropic.com', '/v1/messages')).toBe('https://api.anthropic.com/v1/messages');
  });

  it('merges extra fields and drops the ones set to null', () => {
    expect(mergeExtra({ a: 1, b: 2 }, { b: null, c: 3 })).toEqual({ a: 1, c: 3 });
    expect(mergeExtra({ a: 1 }, undefined)).toEqual({ a: 1 });
  });
});
