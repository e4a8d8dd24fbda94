/**
 * The adapters' own HTTP client (server/providers/upstream-http.ts) against a real HTTP server:
 * compressed event streams, UTF-8 characters split across network writes, and a body cut off.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { modelConfigSchema } from '../../server/models/config.ts';
import { openaiAdapter } from '../../server/providers/openai.ts';
import { runCompletion } from '../../server/providers/run-completion.ts';
import { OPENAI_TEXT, OPENAI_TEXT_STREAM } from '../support/upstream-fixtures/openai.ts';

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function upstream(answer: (res: ServerResponse, acceptEncoding: string) => void): Promise<string> {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => answer(res, String(req.headers['accept-encoding'] ?? '')));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

function complete(baseUrl: string) {
  const model = modelConfigSchema.parse({ id: 'm', name: 'M', provider: 'openai', baseUrl, model: 'gpt-4o-mini' });
  const texts: string[] = [];
  const result = runCompletion({
    adapter: openaiAdapter,
    request: { model, messages: [{ role: 'user', content: 'Hi' }], apiKey: undefined },
    signal: new AbortController().signal,
    onText: (t) => texts.push(t),
  });
  return { result, texts };
}

describe('upstream HTTP client', () => {
  it('reads a gzip-compressed event stream, as fetch() did', async () => {
    let asked = '';
    const baseUrl = await upstream((res, acceptEncoding) => {
      asked = acceptEncoding;
      res.writeHead(200, { 'content-type': 'text/event-stream', 'content-encoding': 'gzip' });
      res.end(gzipSync(OPENAI_TEXT_STREAM.join('')));
    });
    const { result } = complete(baseUrl);
    const r = await result;
    expect(asked).toContain('gzip');
    expect(r.error).toBeNull();
    expect(r.text).toBe(OPENAI_TEXT);
  });

  it('joins a character whose UTF-8 bytes arrive in two writes', async () => {
    const bytes = Buffer.from(OPENAI_TEXT_STREAM.join(''));
    // Inside the four bytes of 👋.
    const cut = bytes.indexOf(Buffer.from('👋')) + 2;
    const baseUrl = await upstream((res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(bytes.subarray(0, cut));
      setTimeout(() => res.end(bytes.subarray(cut)), 30);
    });
    const { result, texts } = complete(baseUrl);
    const r = await result;
    expect(r.text).toBe(OPENAI_TEXT);
    expect(texts.join('')).toBe(OPENAI_TEXT);
    expect(texts.some((t) => t.includes('\uFFFD'))).toBe(false);
  });

  it('reports a body cut off mid-answer as a broken connection, keeping what came', async () => {
    const baseUrl = await upstream((res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(OPENAI_TEXT_STREAM.slice(0, 3).join(''));
      setTimeout(() => res.destroy(), 30);
    });
    const { result } = complete(baseUrl);
    const r = await result;
    expect(r.text).toBe('Hello!');
    expect(r.error?.kind).toBe('protocol');
    expect(r.error?.message).toMatch(/^the connection to 127\.0\.0\.1:\d+ broke mid-answer/);
  });

  it('pushes each token in the read that brought it, before the next one is written', async () => {
    // The stream form (run-completion.ts uses it): a token is handed on in its own network read.
    let writeNext: (() => void) | undefined;
    const baseUrl = await upstream((res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const frames = [...OPENAI_TEXT_STREAM];
      // After a frame with text in it, the next one waits until the adapter has passed the text on.
      writeNext = () => {
        for (;;) {
          const frame = frames.shift();
          if (frame === undefined) return void res.end();
          res.write(frame);
          if (/"content":"[^"]/.test(frame)) return;
        }
      };
      writeNext();
    });
    const model = modelConfigSchema.parse({ id: 'm', name: 'M', provider: 'openai', baseUrl, model: 'gpt-4o-mini' });
    const seen: string[] = [];
    await openaiAdapter.stream!({ model, messages: [{ role: 'user', content: 'Hi' }], apiKey: undefined, signal: new AbortController().signal }, (chunk) => {
      seen.push(chunk.type === 'text' || chunk.type === 'reasoning' ? `${chunk.type}:${chunk.text}` : chunk.type);
      // Had the adapter waited for more than the read in hand, the answer would hang here.
      if (chunk.type === 'text') setTimeout(() => writeNext?.(), 1);
    });
    expect(
      seen
        .filter((s) => s.startsWith('text:'))
        .map((s) => s.slice(5))
        .join(''),
    ).toBe(OPENAI_TEXT);
    expect(seen.at(-1)).toBe('usage');
    expect(seen).toContain('finish');
  });

  it('closes the connection when a reader leaves the answer early', async () => {
    let closed!: () => void;
    const connectionClosed = new Promise<void>((resolve) => {
      closed = resolve;
    });
    const baseUrl = await upstream((res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      // Two frames, then the stream stays open.
      res.write(OPENAI_TEXT_STREAM.slice(0, 2).join(''));
      res.on('close', () => closed());
    });
    const model = modelConfigSchema.parse({ id: 'm', name: 'M', provider: 'openai', baseUrl, model: 'gpt-4o-mini' });
    const chunks: string[] = [];
    for await (const chunk of openaiAdapter({ model, messages: [{ role: 'user', content: 'Hi' }], apiKey: undefined, signal: new AbortController().signal })) {
      if (chunk.type === 'text') chunks.push(chunk.text);
      break;
    }
    await connectionClosed;
    expect(chunks).toEqual(['Hello']);
  });
});
