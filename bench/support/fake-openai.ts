/**
 * A local OpenAI-compatible service that streams at a fixed token rate. Frames are byte for byte
 * what api.openai.com sends (taken from the test fixtures); each token's text carries the moment
 * it was written, so a client on this machine can tell how long it travelled: a space and four
 * base-62 digits of the epoch time in 0.1 ms units, modulo 62⁴ (24.6 minutes; the reader takes
 * the latest such time before it received the token). Five characters and about three BPE
 * tokens, the size of a model's token (English runs about 4.5 characters a token): the style
 * tokenizer and every byte on the way cost what a real answer's tokens cost.
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

const STAMP_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const STAMP_DIGITS = 4;
/** Stamps repeat after this many 0.1 ms units. */
const STAMP_PERIOD = STAMP_ALPHABET.length ** STAMP_DIGITS;
const STAMP = / ([0-9A-Za-z]{4})(?![0-9A-Za-z])/g;

export function stampedToken(): string {
  let units = Math.round(epochMs() * 10) % STAMP_PERIOD;
  let digits = '';
  for (let i = 0; i < STAMP_DIGITS; i++) {
    digits = STAMP_ALPHABET[units % STAMP_ALPHABET.length] + digits;
    units = Math.floor(units / STAMP_ALPHABET.length);
  }
  return ` ${digits}`;
}

/** The send times (epoch ms) of every stamped token in a piece of text received at `receivedAt` (a delta may carry several). */
export function readStamps(text: string, receivedAt: number): number[] {
  const now = Math.round(receivedAt * 10);
  return Array.from(text.matchAll(STAMP), (m) => {
    let units = 0;
    for (const c of m[1]!) units = units * STAMP_ALPHABET.length + STAMP_ALPHABET.indexOf(c);
    return (now - ((((now - units) % STAMP_PERIOD) + STAMP_PERIOD) % STAMP_PERIOD)) / 10;
  });
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
