import { describe, expect, it } from 'vitest';
import { LoginLimiter } from '../../server/auth/login-limiter.ts';
import { hashPassword, verifyPassword } from '../../server/auth/passwords.ts';
import { originAllowed, TrustedProxies } from '../../server/auth/request-info.ts';

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
  it('blocks a key after max failures inside the window and frees it as failures age out', () => {
    let now = 0;
    const limiter = new LoginLimiter(1000, () => now);
    const rule = [{ key: 'k', max: 3 }];
    for (const t of [0, 100, 200]) {
      now = t;
      expect(limiter.retryAfterMs(rule)).toBe(0);
      limiter.fail(['k']);
    }
    now = 300;
    expect(limiter.retryAfterMs(rule)).toBe(700);
    expect(limiter.retryAfterMs([{ key: 'other', max: 3 }])).toBe(0);
    now = 1001;
    expect(limiter.retryAfterMs(rule)).toBe(0);
    limiter.fail(['k']);
    limiter.clear('k');
    expect(limiter.retryAfterMs(rule)).toBe(0);
  });

  it('makes a progressive key wait 1 s, 2 s, 4 s… after each failure from the third', () => {
    let now = 0;
    const limiter = new LoginLimiter(3_600_000, () => now);
    const rule = [{ key: 'pair', max: 10, progressive: true }];
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      now += limiter.retryAfterMs(rule);
      waits.push(limiter.retryAfterMs(rule));
      limiter.fail(['pair']);
      waits.push(limiter.retryAfterMs(rule));
    }
    // After each failure: free, free, then doubling delays.
    expect(waits.filter((_, i) => i % 2 === 1)).toEqual([0, 0, 1000, 2000, 4000, 8000]);
    expect(waits.filter((_, i) => i % 2 === 0)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

describe('request origin and proxies', () => {
  it('accepts same-host and listed origins, and requests without Origin', () => {
    expect(originAllowed({ host: 'arena.local:3000', origin: 'http://arena.local:3000' }, [])).toBe(true);
    expect(originAllowed({ host: 'arena.local:3000', origin: 'http://evil.example' }, [])).toBe(false);
    expect(originAllowed({ host: 'arena.local:3000', origin: 'null' }, [])).toBe(false);
    expect(originAllowed({ host: 'x', origin: 'https://app.example.com' }, ['https://app.example.com'])).toBe(true);
    expect(originAllowed({ host: 'x' }, [])).toBe(true);
  });
  it('believes X-Forwarded-* only from trusted peers', () => {
    const proxies = new TrustedProxies(['127.0.0.1']);
    expect(proxies.clientIp('::ffff:127.0.0.1', { 'x-forwarded-for': '1.2.3.4, 5.6.7.8' })).toBe('5.6.7.8');
    expect(proxies.clientIp('9.9.9.9', { 'x-forwarded-for': '1.2.3.4' })).toBe('9.9.9.9');
    expect(proxies.isHttps('127.0.0.1', { 'x-forwarded-proto': 'https' }, false)).toBe(true);
    expect(proxies.isHttps('9.9.9.9', { 'x-forwarded-proto': 'https' }, false)).toBe(false);
  });
});
