import { describe, expect, it } from 'vitest';
import { needsCheck } from '../../server/models/admin-service.ts';
import { modelConfigSchema } from '../../server/models/config.ts';
import { redactKeys, sampleOf } from '../../server/models/model-check.ts';

describe('redactKeys', () => {
  const key = 'k3y/with+odd"chars=123';
  it('takes a key out as it is, URL-encoded and JSON-escaped, and credential-shaped strings too', () => {
    const text = `raw ${key} url ${encodeURIComponent(key)} json ${JSON.stringify({ k: key })} bearer Bearer abcdefgh12345678 google AIzaSyA1234567890abcdefghijklmn openai sk-proj-abcdef123456`;
    const out = redactKeys(text, [key]);
    expect(out).not.toContain('k3y');
    expect(out).not.toContain('abcdefgh12345678');
    expect(out).not.toContain('AIzaSy');
    expect(out).not.toContain('sk-proj-abcdef');
    expect(out).toBe('raw [redacted] url [redacted] json {"k":"[redacted]"} bearer Bearer [redacted] google [redacted] openai sk-[redacted]');
  });

  it('takes the longer of two overlapping keys out whole', () => {
    expect(redactKeys('x secret-long-key y', ['secret', 'secret-long-key'])).toBe('x [redacted] y');
  });
});

describe('sampleOf', () => {
  it('redacts before cutting, so a key across the cut leaves nothing behind', () => {
    const key = 'KEYKEYKEYKEY';
    const sample = sampleOf(`${'a'.repeat(115)}${key} and more`, [key]);
    expect(sample).toBe(`${'a'.repeat(115)}[reda…`);
    expect(sample).not.toContain('KEY');
  });
});

describe('needsCheck', () => {
  const model = (over: object) => modelConfigSchema.parse({ id: 'm', name: 'M', provider: 'openai', baseUrl: 'http://h/v1', ...over });
  it('tests a model about to be enabled: new, switched on, or asked differently; not demo, disabled or renamed ones', () => {
    expect(needsCheck(undefined, model({}))).toBe(true);
    expect(needsCheck(undefined, model({ enabled: false }))).toBe(false);
    expect(needsCheck(undefined, model({ provider: 'demo' }))).toBe(false);
    expect(needsCheck(model({ enabled: false }), model({}))).toBe(true);
    expect(needsCheck(model({}), model({ baseUrl: 'http://other/v1' }))).toBe(true);
    expect(needsCheck(model({}), model({ extra: { top_p: 0.5 } }))).toBe(true);
    expect(needsCheck(model({}), model({ name: 'Renamed', weight: 3 }))).toBe(false);
    expect(needsCheck(model({}), model({ enabled: false }))).toBe(false);
  });
});
