/**
 * A local OpenAI-compatible service that streams at a fixed token rate. Frames are byte for byte
 * what api.openai.com sends (taken from the test fixtures); each token's text carries the moment
 * it was written, `⟦<epoch ms>⟧ `, so a client on this machine can tell how long it travelled.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OPENAI_TEXT_STREAM } from '../../tests/support/upstream-fixtures/openai.ts';

export interface FakeOpenAiOptions {
  tokensPerSecond: number;
  tokensPerAnswer: number;
}

export interface FakeOpenAiStats {
  streamsStarted: number;
  streamsFinished: number;
  tokensSent: number;
  /** Writes that hit a full socket buffer (the server reading too slowly). */
  backpressured: number;
}

export interface FakeOpenAi {
  /** `…/v1`, as a model's `baseUrl`. */
  baseUrl: string;
  stats: FakeOpenAiStats;
  close(): Promise<void>;
}

const [ROLE_FRAME, CONTENT_FRAME, , , , , , FINISH_FRAME, USAGE_FRAME, DONE_FRAME] = OPENAI_TEXT_STREAM as [
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
];
const [CONTENT_BEFORE, CONTENT_AFTER] = CONTENT_FRAME.split('"content":"Hello"') as [string, string];

/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes. */
export const epochMs = () => performance.timeOrigin + performance.now();

export function contentFrame(text: string): string {
  return `${CONTENT_BEFORE}"content":${JSON.stringify(text)}${CONTENT_AFTER}`;
}

const STAMP = /⟦(\d+\.\d+)⟧/g;

export function stampedToken(): string {
  return `⟦${epochMs().toFixed(3)}⟧ `;
}

/** The send times of every stamped token in a piece of text (a delta may carry several). */
export function readStamps(text: string): number[] {
  return Array.from(text.matchAll(STAMP), (m) => Number(m[1]));
}

export async function startFakeOpenAi(opts: FakeOpenAiOptions): Promise<FakeOpenAi> {
  const stats: FakeOpenAiStats = { streamsStarted: 0, streamsFinished: 0, tokensSent: 0, backpressured: 0 };
  const open = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404).end();
        return;
      }
      open.add(res);
      res.on('close', () => open.delete(res));
      stream(req, res, opts, stats);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    stats,
    close: async () => {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function stream(_req: IncomingMessage, res: ServerResponse, opts: FakeOpenAiOptions, stats: FakeOpenAiStats): void {
  stats.streamsStarted++;
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write(ROLE_FRAME);
  const interval = 1000 / opts.tokensPerSecond;
  const started = performance.now();
  let sent = 0;
  // Each tick is scheduled from the stream's start, so timer lateness never accumulates.
  const tick = () => {
    if (res.destroyed) return;
    if (sent === opts.tokensPerAnswer) {
      res.end(FINISH_FRAME + USAGE_FRAME + DONE_FRAME);
      stats.streamsFinished++;
      return;
    }
    if (!res.write(contentFrame(stampedToken()))) stats.backpressured++;
    sent++;
    stats.tokensSent++;
    setTimeout(tick, Math.max(0, started + (sent + 1) * interval - performance.now()));
  };
  setTimeout(tick, interval);
}
