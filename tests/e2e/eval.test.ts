import { describe, expect, it } from 'vitest';
import { skipBrowser, watchPage } from '../support/browser.ts';
import { signIn, useBrowserArena } from '../support/browser-arena.ts';

const models = [
  { id: 'e2e-one', name: 'Orchid Large', provider: 'demo' as const, model: 'sage', tokensPerSecond: 0 },
  { id: 'e2e-two', name: 'Juniper Small', provider: 'demo' as const, model: 'brisk', tokensPerSecond: 0 },
  { id: 'e2e-three', name: 'Cedar Mini', provider: 'demo' as const, model: 'muddle', tokensPerSecond: 0 },
];
const prompts = [
  'Explain a hash map',
  'Write a haiku about rain',
  'How do vaccines work?',
  'Plan a weekend in Lisbon',
  'What is recursion?',
  'Tips for a job interview',
];

describe.skipIf(skipBrowser)('evaluations in Chromium', () => {
  const arena = useBrowserArena({ models, users: { 'admin@example.com': 'admin', 'member@example.com': 'member' } });

  it('an admin creates an evaluation from a JSONL file and starts it; a member votes with the keyboard; the admin sees it live', async () => {
    const adminContext = await arena.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const admin = await adminContext.newPage();
    const adminWatch = watchPage(admin);
    await signIn(admin, arena.url, 'admin@example.com');
    await admin.getByRole('link', { name: 'Admin' }).click();
    await admin.getByRole('link', { name: 'New evaluation' }).click();
    await admin.getByLabel('Name').fill('Support answers, round 1');
    await admin.getByLabel('Orchid Large').check();
    await admin.getByLabel('Juniper Small').check();
    const jsonl = prompts.map((prompt, i) => JSON.stringify({ prompt, id: `q${i + 1}`, category: i % 2 ? 'writing' : 'knowledge' })).join('\n');
    await admin.getByLabel('Prompt file').setInputFiles({ name: 'prompts.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(jsonl) });
    await admin.getByText('6 non-blank lines, read as jsonl').waitFor();
    await admin.getByLabel('Votes wanted per prompt and model pair').fill('1');
    await admin.getByRole('button', { name: 'Create evaluation' }).click();
    await admin.getByRole('heading', { name: /Support answers, round 1/ }).waitFor();
    expect(admin.url()).toMatch(/#\/admin\/evaluations\/[\w-]+$/);
    await admin.getByRole('button', { name: 'Start' }).click();
    await expect.poll(() => admin.getByTestId('generation-count').textContent()).toBe('12 / 12');
    await expect.poll(() => admin.getByTestId('vote-count').textContent()).toBe('0 / 6');

    const memberContext = await arena.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const member = await memberContext.newPage();
    const memberWatch = watchPage(member);
    await signIn(member, arena.url, 'member@example.com');
    await member.getByRole('link', { name: 'Evaluations' }).click();
    await member.getByRole('link', { name: 'Support answers, round 1' }).click();
    const judged: string[] = [];
    for (const key of ['1', '2', '3', '4', '1']) {
      const item = member.locator('[data-item]');
      await item.waitFor();
      const id = (await item.getAttribute('data-item'))!;
      expect(judged).not.toContain(id);
      expect(await member.getByRole('region', { name: 'Model A' }).getByTestId('answer').textContent()).not.toBe('');
      expect(await member.locator('body').innerText()).not.toMatch(/Orchid|Juniper/);
      await member.keyboard.press(key);
      await expect.poll(async () => (await member.locator('[data-item]').getAttribute('data-item')) !== id).toBe(true);
      judged.push(id);
    }
    await expect.poll(() => member.getByTestId('my-progress').textContent()).toBe('You judged 5; 1 left for you.');

    // The admin page follows live: progress and the evaluation leaderboard.
    await expect.poll(() => admin.getByTestId('vote-count').textContent()).toBe('5 / 6');
    const board = admin.getByTestId('eval-leaderboard');
    await expect.poll(() => board.locator('tbody tr td.votes').allTextContents()).toEqual(['5', '5']);
    expect(await board.locator('tbody tr').first().textContent()).toMatch(/Orchid Large|Juniper Small/);
    expect(adminWatch.problems).toEqual([]);
    expect(memberWatch.problems).toEqual([]);
    await adminContext.close();
    await memberContext.close();
  });
});
