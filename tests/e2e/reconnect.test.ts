/**
 * A vote whose ack is lost: the server commits it, then the connection drops before the ack
 * arrives. The page reconnects by itself, re-sends the same voteId, shows the reveal, and the
 * vote is stored once.
 */
import { describe, expect, it } from 'vitest';
import { votes } from '../../db/schema.ts';
import { skipBrowser } from '../support/browser.ts';
import { useBrowserArena } from '../support/browser-arena.ts';
import { fastDemoModels } from '../support/test-server.ts';

describe.skipIf(skipBrowser)('vote re-sent after a dropped connection', () => {
  const arena = useBrowserArena({ models: fastDemoModels });

  it('reconnects, re-sends the same voteId and counts the vote once', async () => {
    let dropped = 0;
    const seenVoteIds: string[] = [];
    arena.app.io.on('connection', (socket) => {
      socket.use((packet, next) => {
        if (packet[0] === 'battle:vote') seenVoteIds.push((packet[1] as { voteId: string }).voteId);
        next();
        if (packet[0] === 'battle:vote' && dropped === 0) {
          dropped++;
          // The vote is being committed; the ack will go to a closed connection.
          socket.conn.close();
        }
      });
    });
    const page = await arena.browser.newPage();
    await page.goto(arena.url);
    await page.getByRole('textbox', { name: 'Prompt' }).fill('What makes a good unit test?');
    await page.keyboard.press('Enter');
    const voteB = page.getByRole('button', { name: 'B is better', exact: true });
    await expect.poll(() => voteB.isEnabled()).toBe(true);
    await voteB.click();
    await expect.poll(() => page.getByRole('status').textContent(), { timeout: 20_000 }).toMatch(/You preferred Model B/);

    expect(dropped).toBe(1);
    expect(seenVoteIds.length).toBeGreaterThanOrEqual(2);
    expect(new Set(seenVoteIds).size).toBe(1); // the same voteId both times
    expect(arena.app.db.select().from(votes).all()).toHaveLength(1);
    await page.close();
  });
});

describe.skipIf(skipBrowser)('battle picked up again after a dropped connection', () => {
  const arena = useBrowserArena({ models: fastDemoModels.map((m) => ({ ...m, tokensPerSecond: 60 })) });

  it('resumes a streaming battle on reconnect and finishes it with the whole answer', async () => {
    const page = await arena.browser.newPage();
    await page.goto(arena.url);
    await page.getByRole('textbox', { name: 'Prompt' }).fill('Explain how a compiler works');
    await page.keyboard.press('Enter');
    const paneA = page.getByRole('region', { name: 'Model A' }).getByTestId('answer');
    await expect.poll(async () => ((await paneA.textContent()) ?? '').length).toBeGreaterThan(10);
    // Drop every connection mid-stream; the page reconnects by itself.
    for (const socket of arena.app.io.sockets.sockets.values()) socket.conn.close();
    const voteA = page.getByRole('button', { name: 'A is better', exact: true });
    await expect.poll(() => voteA.isEnabled(), { timeout: 30_000 }).toBe(true);
    const battleId = (arena.app.db.$client.prepare('SELECT id FROM battles').get() as { id: string }).id;
    const stored = arena.app.db.$client.prepare("SELECT content FROM answers WHERE battle_id = ? AND side = 'a'").get(battleId) as { content: string };
    // What the page shows is the whole stored answer, not a stream with a hole in it.
    expect((await paneA.innerText()).replace(/\s+/g, ' ').trim().length).toBeGreaterThan(stored.content.length * 0.8);
    await voteA.click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/You preferred Model A/);
    await page.close();
  });
});
