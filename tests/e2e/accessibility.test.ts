/**
 * axe-core on every page of a seeded arena, in English and Korean, light and dark, on a desktop and a
 * phone: no WCAG 2.1 A/AA violation (contrast, names, labels, landmarks, lang, ...). The arena is the
 * one `arena seed --demo` makes, so tables, charts and history have real content to check.
 */
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../db/client.ts';
import { builtInDemoModels } from '../../server/providers/demo.ts';
import { seedDemo } from '../../server/seed/seed.ts';
import { api, login } from '../support/auth.ts';
import { createEvaluation, jsonl } from '../support/auth-evaluations.ts';
import { skipBrowser, watchPage } from '../support/browser.ts';
import { useBrowserArena } from '../support/browser-arena.ts';

const axeSource = (createRequire(import.meta.url)('axe-core') as { source: string }).source;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

async function violations(page: Page): Promise<string[]> {
  // Evaluated over the DevTools protocol, so the page's CSP (script-src 'self') stays on.
  await page.evaluate(axeSource);
  const found = (await page.evaluate(
    `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] }).then((r) => r.violations)`,
  )) as AxeViolation[];
  return found.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help}\n${v.nodes
        .slice(0, 4)
        .map((n) => `    ${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1).join(' ').trim()}`)
        .join('\n')}`,
  );
}

const dir = mkdtempSync(path.join(tmpdir(), 'arena-a11y-'));

describe.skipIf(skipBrowser)('accessibility of every page (axe-core)', () => {
  beforeAll(async () => {
    const db = openDb(path.join(dir, 'arena.db'));
    await seedDemo(db, { seed: 7, battles: 300, days: 14, until: Date.now(), force: false, eloK: 4 });
    db.$client.close();
  });
  const arena = useBrowserArena(() => ({ dir, models: builtInDemoModels(), deps: { btIntervalMs: 0 }, users: { 'admin@example.com': 'admin' } }));
  const pages: Array<{ name: string; hash: string; signedIn: boolean }> = [];

  beforeAll(async () => {
    const server = { url: arena.url };
    const cookie = await login(server, 'admin@example.com');
    const battles = (await api<{ battles: Array<{ id: string }> }>(server, '/api/battles?limit=1', { cookie })).body.battles;
    const snapshot = (await api<{ snapshot: { id: string } }>(server, '/api/admin/snapshots', { cookie, body: { name: 'a11y' } })).body.snapshot;
    const evaluation = await createEvaluation({ url: arena.url } as Parameters<typeof createEvaluation>[0], cookie, {
      prompts: { format: 'jsonl', content: jsonl([{ prompt: '파이썬으로 피보나치 수열을 구하는 함수를 써 주세요.' }, { prompt: 'Explain a hash map.' }]) },
      models: ['demo-sage', 'demo-muddle'],
    });
    pages.push(
      { name: 'sign-in', hash: '#/login', signedIn: false },
      { name: 'battle', hash: '#/', signedIn: true },
      { name: 'side by side', hash: '#/named', signedIn: true },
      { name: 'direct chat', hash: '#/chat', signedIn: true },
      { name: 'leaderboard', hash: '#/leaderboard', signedIn: true },
      { name: 'leaderboard (Bradley-Terry)', hash: '#/leaderboard?method=bt', signedIn: true },
      { name: 'history', hash: '#/history', signedIn: true },
      { name: 'battle record', hash: `#/battles/${battles[0]!.id}`, signedIn: true },
      { name: 'model page', hash: '#/models/demo-sage', signedIn: true },
      { name: 'snapshot', hash: `#/snapshots/${snapshot.id}`, signedIn: true },
      { name: 'evaluations', hash: '#/evaluations', signedIn: true },
      { name: 'admin: evaluations', hash: '#/admin', signedIn: true },
      { name: 'admin: new evaluation', hash: '#/admin/new', signedIn: true },
      { name: 'admin: an evaluation', hash: `#/admin/evaluations/${evaluation.id}`, signedIn: true },
      { name: 'admin: models', hash: '#/admin/models', signedIn: true },
      { name: 'admin: integrity', hash: '#/admin/integrity', signedIn: true },
      { name: 'admin: users', hash: '#/admin/users', signedIn: true },
      { name: 'admin: audit log', hash: '#/admin/audit', signedIn: true },
      { name: 'admin: snapshots', hash: '#/admin/snapshots', signedIn: true },
    );
  });

  const variants = [
    { locale: 'en-US', colorScheme: 'light', viewport: { width: 1280, height: 900 } },
    { locale: 'ko-KR', colorScheme: 'dark', viewport: { width: 1280, height: 900 } },
    { locale: 'ko-KR', colorScheme: 'light', viewport: { width: 390, height: 844 } },
    { locale: 'en-US', colorScheme: 'dark', viewport: { width: 390, height: 844 } },
  ] as const;

  for (const variant of variants) {
    it(`finds no violation on any page: ${variant.locale}, ${variant.colorScheme}, ${variant.viewport.width} px`, { timeout: 240_000 }, async () => {
      const context = await arena.browser.newContext({ locale: variant.locale, colorScheme: variant.colorScheme, viewport: variant.viewport });
      try {
        const page = await context.newPage();
        const watch = watchPage(page);
        const report: string[] = [];
        let signed = false;
        for (const target of pages) {
          if (target.signedIn && !signed) {
            // The session cookie of an HTTP sign-in: the form's labels differ by language.
            const [name, value] = (await login({ url: arena.url }, 'admin@example.com')).split('=') as [string, string];
            await context.addCookies([{ name, value, url: arena.url }]);
            signed = true;
          }
          await page.goto(`${arena.url}/${target.hash}`);
          await page.locator('main').first().waitFor();
          await page.waitForLoadState('networkidle');
          await expect.poll(() => page.evaluate('document.documentElement.lang')).toBe(variant.locale.slice(0, 2));
          for (const v of await violations(page)) report.push(`[${target.name}] ${v}`);
        }
        expect(report.join('\n')).toBe('');
        expect(watch.problems).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});
