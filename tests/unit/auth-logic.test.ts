import { describe, expect, it } from 'vitest';
import { LoginLimiter } from '../../server/auth/login-limiter.ts';
import { OriginPolicy } from '../../server/auth/origin-policy.ts';
import { hashPassword, verifyPassword } from '../../server/auth/passwords.ts';
import { TrustedProxies } from '../../server/auth/request-info.ts';

describe('passwords', () => {
  it('salts each hash and verifies only the right password', async () => {
    const [one, two] = await Promise.all([hashPassword('hunter2 hunter2'), hashPassword('hunter2 hunter2')]);
    expect(one).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{86}$/);
    expect(one).not.toBe(two);
    expect(await verifyPassword('hunter2 hunter2', one)).toBe(true);
    expect(await verifyPassword('hunter3 hunter3', one)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });
});

describe('login limiter', () => {
  it('blocks a key after max failures inside the window and frees it as failures age out', async () => {
    let now = 0;
    const limiter = new LoginLimiter(1000, () => now);
    const rule = [{ key: 'k', max: 3 }];
    for (const t of [0, 100, 200]) {
      now = t;
      expect(await limiter.retryAfterMs(rule)).toBe(0);
      await limiter.fail(['k']);
    }
    now = 300;
    expect(await limiter.retryAfterMs(rule)).toBe(700);
    expect(await limiter.retryAfterMs([{ key: 'other', max: 3 }])).toBe(0);
    now = 1001;
    expect(await limiter.retryAfterMs(rule)).toBe(0);
    await limiter.fail(['k']);
    await limiter.clear('k');
    expect(await limiter.retryAfterMs(rule)).toBe(0);
  });

  it('makes a progressive key wait 1 s, 2 s, 4 s… after each failure from the third', async () => {
    let now = 0;
    const limiter = new LoginLimiter(3_600_000, () => now);
    const rule = [{ key: 'pair', max: 10, progressive: true }];
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      now += await limiter.retryAfterMs(rule);
      waits.push(await limiter.retryAfterMs(rule));
      await limiter.fail(['pair']);
      waits.push(await limiter.retryAfterMs(rule));
    }
    // After each failure: free, free, then doubling delays.
    expect(waits.filter((_, i) => i % 2 === 1)).toEqual([0, 0, 1000, 2000, 4000, 8000]);
    expect(waits.filter((_, i) => i % 2 === 0)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

describe('request origin and proxies', () => {
  it('answers only our own host names: loopback, IP literals and the public origins (DNS rebinding)', () => {
    const policy = new OriginPolicy({ publicOrigins: ['https://arena.example.com'], allowedOrigins: [], proxies: new TrustedProxies([]) });
    for (const host of ['127.0.0.1:3000', 'localhost:3000', 'app.localhost', '[::1]:3000', '192.168.1.20:3000', 'arena.example.com', 'ARENA.example.com:443']) {
      expect(policy.hostAllowed({ host }), host).toBe(true);
    }
    for (const host of ['evil.example', 'evil.example:3000', 'arena.example.com.evil.example', '', 'a b'])
      expect(policy.hostAllowed({ host }), host).toBe(false);
    expect(policy.hostAllowed({})).toBe(false);
  });

  it('compares Origin by scheme, host and port; requests without Origin pass', () => {
    const proxies = new TrustedProxies(['10.0.0.1']);
    const policy = new OriginPolicy({ publicOrigins: ['https://arena.example.com'], allowedOrigins: ['https://app.example.com'], proxies });
    const from = (origin: string | undefined, host = 'arena.local:3000', opts: { peer?: string; encrypted?: boolean; proto?: string } = {}) =>
      policy.originAllowed({
        headers: { host, ...(origin !== undefined && { origin }), ...(opts.proto && { 'x-forwarded-proto': opts.proto }) },
        peer: opts.peer ?? '127.0.0.1',
        encrypted: opts.encrypted ?? false,
      });
    expect(from('http://arena.local:3000')).toBe(true);
    expect(from('https://arena.local:3000')).toBe(false); // scheme differs
    expect(from('http://arena.local:3001')).toBe(false); // port differs
    expect(from('https://arena.local:3000', 'arena.local:3000', { encrypted: true })).toBe(true);
    expect(from('https://arena.local', 'arena.local', { peer: '10.0.0.1', proto: 'https' })).toBe(true);
    expect(from('https://arena.local', 'arena.local', { peer: '9.9.9.9', proto: 'https' })).toBe(false);
    expect(from('http://evil.example')).toBe(false);
    expect(from('null')).toBe(false);
    expect(from('https://app.example.com', 'x')).toBe(true);
    expect(from('https://arena.example.com', 'x')).toBe(true);
    expect(from('http://arena.example.com', 'x')).toBe(false);
    expect(from(undefined)).toBe(true);
  });
  it('believes X-Forwarded-* only from trusted peers', () => {
    const proxies = new TrustedProxies(['127.0.0.1']);
    expect(proxies.clientIp('::ffff:127.0.0.1', { 'x-forwarded-for': '1.2.3.4, 5.6.7.8' })).toBe('5.6.7.8');
    expect(proxies.clientIp('9.9.9.9', { 'x-forwarded-for': '1.2.3.4' })).toBe('9.9.9.9');
    expect(proxies.isHttps('127.0.0.1', { 'x-forwarded-proto': 'https' }, false)).toBe(true);
    expect(proxies.isHttps('9.9.9.9', { 'x-forwarded-proto': 'https' }, false)).toBe(false);
  });
});
