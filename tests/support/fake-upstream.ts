/**
 * A local stand-in for a model service: a real HTTP server on 127.0.0.1 (port 0) that records
 * every request and replays scripted answers byte for byte. A script can split frames anywhere,
 * pause between pieces, stay silent forever, or drop the socket mid-answer.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Cleanup, useCleanup, useShared } from './hooks.ts';

/** Raw bytes to send, or a pause. */
export type Step = string | Uint8Array | { delayMs: number };

export interface ScriptedResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: Step[];
  /** Pause inserted between body pieces (0 = yield to the event loop so each piece leaves alone). */
  gapMs?: number;
  /** After the body: finish normally (default), stay open, or destroy the socket. */
  then?: 'end' | 'hang' | 'destroy';
  /** Never send even the status line (the request just hangs). */
  silent?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  body: unknown;
  /** Resolves once the exchange is over; `beforeEnd` when it closed before the answer was complete. */
  closed: Promise<{ beforeEnd: boolean }>;
}

/** An answer built from the request it answers (e.g. one that echoes the request's headers). */
export type Responder = (request: RecordedRequest) => ScriptedResponse;

export interface FakeUpstream {
  url: string;
  requests: RecordedRequest[];
  /** Queues answers, used one per incoming request, in order. */
  enqueue(...responses: Array<ScriptedResponse | Responder>): void;
  close(): Promise<void>;
}

export const SSE_HEADERS = { 'content-type': 'text/event-stream' } as const;

export async function startFakeUpstream(): Promise<FakeUpstream> {
  const queue: Array<ScriptedResponse | Responder> = [];
  const requests: RecordedRequest[] = [];
  let stopped = false;

  const server: Server = createServer((req, res) => {
    const pieces: Buffer[] = [];
    let markClosed: (value: { beforeEnd: boolean }) => void = () => undefined;
    const closed = new Promise<{ beforeEnd: boolean }>((resolve) => (markClosed = resolve));
    res.on('close', () => markClosed({ beforeEnd: !res.writableFinished }));
    res.on('error', () => undefined);
    req.on('data', (piece: Buffer) => pieces.push(piece));
    req.on('end', () => {
      const rawBody = Buffer.concat(pieces).toString('utf8');
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        rawBody,
        body: parseJson(rawBody),
        closed,
      };
      requests.push(recorded);
      const next = queue.shift();
      const script = (typeof next === 'function' ? next(recorded) : next) ?? {
        status: 500,
        headers: { 'content-type': 'text/plain' },
        body: ['fake upstream: no scripted response left'],
      };
      void play(script, res, () => stopped);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (...responses) => queue.push(...responses),
    close: async () => {
      stopped = true;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * For tests that each start their own fake upstreams: call it at the top of a file or block (it
 * registers the afterEach, or joins the given cleanup); every upstream started is closed after its test.
 */
export function useFakeUpstream(cleanup: Cleanup = useCleanup()): () => Promise<FakeUpstream> {
  return async () => cleanup.add(await startFakeUpstream());
}

/** One fake upstream for every test of the calling file or block; its request log starts empty for each test. */
export function useSharedUpstream(): FakeUpstream {
  return useShared(
    startFakeUpstream,
    (upstream) => upstream.close(),
    (upstream) => {
      upstream.requests.length = 0;
    },
  );
}

async function play(script: ScriptedResponse, res: ServerResponse, stopped: () => boolean): Promise<void> {
  if (script.silent) return;
  res.writeHead(script.status ?? 200, script.headers ?? SSE_HEADERS);
  res.flushHeaders();
  for (const step of script.body ?? []) {
    if (stopped() || res.destroyed) return;
    if (typeof step === 'object' && 'delayMs' in step) {
      await sleep(step.delayMs);
      continue;
    }
    await new Promise<void>((resolve) => res.write(step, () => resolve()));
    if (script.gapMs !== undefined) await sleep(script.gapMs);
  }
  if (stopped() || res.destroyed) return;
  if (script.then === 'hang') return;
  if (script.then === 'destroy') {
    res.socket?.destroy();
    return;
  }
  res.end();
}

/** Splits text into pieces of `size` bytes (UTF-8), cutting through multi-byte characters too. */
export function splitBytes(text: string, size: number): Uint8Array[] {
  const bytes = Buffer.from(text, 'utf8');
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

/** A port nothing listens on (bound, then released), for connection-refused cases. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : new Promise((resolve) => setImmediate(resolve));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
