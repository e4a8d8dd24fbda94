/**
 * A streaming answer in Chromium is rendered incrementally: finished Markdown blocks keep their
 * DOM, so an image in the answer is fetched once per stream rather than once per token, and the
 * final rendering is the same as rendering the whole text at once (a reload shows it that way).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { ProviderAdapter } from '../../server/providers/types.ts';
import { skipBrowser } from '../support/browser.ts';
import { useBrowserArena } from '../support/browser-arena.ts';

// A made-up image URL, as models write them: it 404s, and the browser keeps only images that
// loaded, so every new <img> for it is a new request. That makes re-created DOM countable.
const IMAGE_PATH = '/made-up-diagram.png';

const PAINTER = [
  '# Streaming check',
  'An opening paragraph with **bold**, `inline code` and a [link](https://example.com/start).',
  `Here is a picture ![probe](${IMAGE_PATH}) in the middle of a paragraph that keeps on growing, ${'word by word and token by token, '.repeat(6)}until it ends.`,
  '- item one\n- item two with *emphasis*\n- item three',
  '| Name | Value |\n|---|---|\n| alpha | 1 |\n| beta | 2 |',
  '```python\ndef double(x):\n    return 2 * x\n```',
  '> A quote, to close with.',
  'See the [docs][ref] for more.',
  '[ref]: https://example.com/docs',
].join('\n\n');
const PLAIN = ['## Plain answer', ...Array.from({ length: 6 }, (_, i) => `Paragraph ${i + 1} of an answer without pictures.`)].join('\n\n');

/** Streams `text` two characters at a time, a couple of milliseconds apart: hundreds of deltas. */
function trickle(text: string): ProviderAdapter {
  return async function* (req) {
    for (let i = 0; i < text.length; i += 2) {
      await sleep(2, undefined, { signal: req.signal });
      yield { type: 'text', text: text.slice(i, i + 2) };
    }
    yield { type: 'finish', reason: 'stop' };
  };
}

/** Each answer's rendered HTML, without the comment anchors a framework may leave. */
const answersHtml = `[...document.querySelectorAll('[data-testid=answer] > .markdown')].map((m) => m.innerHTML.replace(/<!--[\\s\\S]*?-->/g, ''))`;

describe.skipIf(skipBrowser)('streaming Markdown in Chromium', () => {
  const arena = useBrowserArena({
    models: ['painter', 'plain'].map((id) => ({ id, name: id, provider: 'demo' as const, model: 'sage' })),
    deps: { adapterFor: (model) => trickle(model.id === 'painter' ? PAINTER : PLAIN) },
  });

  it('fetches an image in a streaming answer once, and ends with the same DOM as a one-shot render', async () => {
    const context = await arena.browser.newContext({ viewport: { width: 1280, height: 900 } });
    let imageRequests = 0;
    const page = await context.newPage();
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === IMAGE_PATH) imageRequests++;
    });
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(arena.url);
    await page.getByRole('textbox', { name: 'Prompt' }).fill('Draw me something');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'A is better', exact: true }).isEnabled(), { timeout: 20_000 }).toBe(true);
    // Highlighting of the finished answer's code block is the last change to its DOM.
    await expect.poll(() => page.locator('pre code.hljs').count()).toBe(1);
    const streamed = (await page.evaluate(answersHtml)) as string[];
    expect(imageRequests).toBe(1);

    await page.reload();
    await expect.poll(() => page.locator('pre code.hljs').count()).toBe(1);
    const oneShot = (await page.evaluate(answersHtml)) as string[];
    expect(streamed).toEqual(oneShot);
    // The rendering itself is right: every block, the image once, the reference link resolved.
    const painter = page.locator('.markdown', { has: page.locator('img') });
    expect(await painter.locator('img').count()).toBe(1);
    expect(await painter.locator(`img[src="${IMAGE_PATH}"][alt=probe]`).count()).toBe(1);
    for (const selector of ['h1', 'strong', 'p > code', 'li', 'table td', 'pre code', 'blockquote', 'a[href="https://example.com/docs"]']) {
      expect(await painter.locator(selector).count(), selector).toBeGreaterThan(0);
    }
    expect(errors).toEqual([]);
    await context.close();
  });
});
