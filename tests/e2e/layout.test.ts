/**
 * The battle page's layout on a desktop (1440 px) and a phone (390 × 844) in Chromium: wide
 * answers scroll inside their own boxes instead of widening the page, the header fits a phone for
 * every role, and the vote bar stays in view once answers are long.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ProviderAdapter } from '../../server/providers/types.ts';
import { skipBrowser, watchPage } from '../support/browser.ts';
import { signIn, useBrowserArena } from '../support/browser-arena.ts';

const LONG_URL = `https://example.com/${'a-very-long-path-segment-'.repeat(16)}end`;
const columns = [
  'Configuration',
  'Requests_per_second',
  'Latency_p50_ms',
  'Latency_p99_ms',
  'Resident_memory_MB',
  'CPU_utilisation',
  'Error_rate_permille',
  'Deployment_notes',
];
const WIDE_ANSWER = [
  '## Benchmark results',
  [
    `| ${columns.join(' | ')} |`,
    `|${columns.map(() => '---').join('|')}|`,
    ...['baseline', 'tuned', 'cached'].map(
      (name, i) =>
        `| ${name} | ${columns
          .slice(1)
          .map((c, j) => `${c.toLowerCase()}_${i}${j}`)
          .join(' | ')} |`,
    ),
  ].join('\n'),
  ['```text', `config = ${'x'.repeat(400)}`, '```'].join('\n'),
  `Source: ${LONG_URL} and \`${'inline_code_without_spaces_'.repeat(12)}\``,
  // Long enough to run past a phone's screen many times over.
  ...Array.from({ length: 40 }, (_, i) => `Paragraph ${i + 1}: the answer goes on with ordinary sentences, the way a long answer does, so the page scrolls.`),
].join('\n\n');

/** A model that streams a fixed answer in small pieces, as fast as the loop allows. */
function scripted(text: string): ProviderAdapter {
  return async function* () {
    for (let i = 0; i < text.length; i += 24) {
      if (i % 480 === 0) await sleep(1);
      yield { type: 'text', text: text.slice(i, i + 24) };
    }
    yield { type: 'finish', reason: 'stop' };
  };
}

interface Widths {
  page: number;
  viewport: number;
  tables: Array<{ overflowX: string; scrollWidth: number; clientWidth: number }>;
  codeScrolls: boolean[];
}

const measureWidths = `(() => {
  const answers = [...document.querySelectorAll('[data-testid=answer]')];
  return {
    page: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
    tables: answers.flatMap((a) => [...a.querySelectorAll('table')]).map((t) => {
      const box = t.parentElement;
      return { overflowX: getComputedStyle(box).overflowX, scrollWidth: box.scrollWidth, clientWidth: box.clientWidth };
    }),
    codeScrolls: answers.flatMap((a) => [...a.querySelectorAll('pre')]).map((p) => p.scrollWidth > p.clientWidth),
  };
})()`;

/** Where an element sits in the viewport, and whether it is what a tap at its centre would hit. */
const placement = (selector: string) => `(() => {
  return [...document.querySelectorAll(${JSON.stringify(selector)})].map((el) => {
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return { text: el.textContent.trim(), left: r.left, right: r.right, top: r.top, bottom: r.bottom, onTop: !!hit && el.contains(hit) };
  });
})()`;

interface Placement {
  text: string;
  left: number;
  right: number;
  top: number;
  bottom: number;
  onTop: boolean;
}

describe.skipIf(skipBrowser)('battle page layout in Chromium', () => {
  const arena = useBrowserArena({
    models: ['wide-one', 'wide-two'].map((id) => ({ id, name: id, provider: 'demo' as const, model: 'sage' })),
    deps: { adapterFor: () => scripted(WIDE_ANSWER) },
    users: { 'member@example.com': 'member', 'administrator@example.com': 'admin' },
  });

  async function battleUntilVotable(page: Page): Promise<void> {
    await page.goto(arena.url);
    await page.getByRole('textbox', { name: 'Prompt' }).fill(`Summarise the benchmark at ${LONG_URL}`);
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'A is better', exact: true }).isEnabled()).toBe(true);
  }

  for (const viewport of [
    { width: 1440, height: 900 },
    { width: 390, height: 844 },
  ]) {
    it(`keeps a wide table, a long code line and long URLs inside the answer at ${viewport.width} px`, async () => {
      const context = await arena.browser.newContext({ viewport });
      const page = await context.newPage();
      const watch = watchPage(page);
      await battleUntilVotable(page);
      const widths = (await page.evaluate(measureWidths)) as Widths;
      expect(widths.viewport).toBe(viewport.width);
      expect(widths.page).toBeLessThanOrEqual(viewport.width);
      expect(widths.tables).toHaveLength(2);
      for (const table of widths.tables) {
        expect(['auto', 'scroll']).toContain(table.overflowX);
        expect(table.scrollWidth).toBeGreaterThan(table.clientWidth);
      }
      expect(widths.codeScrolls).toEqual([true, true]);
      expect(watch.problems).toEqual([]);
      await context.close();
    });
  }

  for (const who of [
    { email: 'member@example.com', links: ['Battle', 'Side by side', 'Chat', 'Leaderboard', 'History', 'Evaluations'] },
    { email: 'administrator@example.com', links: ['Battle', 'Side by side', 'Chat', 'Leaderboard', 'History', 'Evaluations', 'Admin'] },
  ]) {
    it(`fits the header of ${who.email} on a 390 px phone, Sign out in view`, async () => {
      const context = await arena.browser.newContext({ viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      await signIn(page, arena.url, who.email);
      await page.goto(`${arena.url}/#/`);
      await page.getByRole('textbox', { name: 'Prompt' }).waitFor();
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      const controls = (await page.evaluate(placement('header.top a, header.top button'))) as Placement[];
      expect(controls.map((c) => c.text)).toEqual(['Arena', ...who.links, 'Sign out']);
      for (const c of controls) {
        expect(c, c.text).toMatchObject({ onTop: true });
        expect(c.left, c.text).toBeGreaterThanOrEqual(0);
        expect(c.right, c.text).toBeLessThanOrEqual(390);
        expect(c.bottom, c.text).toBeLessThanOrEqual(844);
      }
      await context.close();
    });
  }

  it('keeps the vote buttons on a 390 × 844 screen once long answers finish, without scrolling', async () => {
    const context = await arena.browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await battleUntilVotable(page);
    expect(await page.evaluate('document.documentElement.scrollHeight')).toBeGreaterThan(3 * 844);
    const buttons = (await page.evaluate(placement('[role=group][aria-label=Vote] button'))) as Placement[];
    expect(buttons).toHaveLength(4);
    for (const b of buttons) {
      expect(b.top, b.text).toBeGreaterThanOrEqual(0);
      expect(b.bottom, b.text).toBeLessThanOrEqual(844);
      expect(b, b.text).toMatchObject({ onTop: true });
    }
    // A tap on it votes; the reveal follows.
    await page.getByRole('button', { name: 'A is better', exact: true }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Model A was wide-/);
    await context.close();
  });
});
