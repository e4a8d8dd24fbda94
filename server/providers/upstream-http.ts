/**
 * How the adapters POST to a model service: node:http(s), not fetch(). A streamed answer then
 * costs one `data` callback per network read, where fetch's WHATWG body stream costs several
 * promises and copies per token (about 20 µs of CPU a token on the bench machine, the largest
 * single cost of streaming). The body is decoded from UTF-8 once, here, into text pieces; a gzip,
 * deflate or brotli body is unpacked as fetch would. Redirects are never followed here
 * (same-origin-fetch.ts decides); the signal aborts the request and its body. A request given a
 * fetch of its own (tests) goes through it, behind the same interface.
 */
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { fetchSameOrigin, followSameOrigin, type Hop } from './same-origin-fetch.ts';

export interface UpstreamResponse extends Hop {
  ok: boolean;
  status: number;
  statusText: string;
  headers: Headers;
  /**
   * Reads the body: `parse` turns each piece of text (UTF-8 sequences split across network reads
   * already joined) into items as it arrives, `end` adds any the end of the body completes, and
   * each read's items come out as one batch. A failure of the connection becomes `broken(err)`.
   */
  read<T>(reader: BodyReader<T>): AsyncIterable<T[]>;
  text(): Promise<string>;
}

export interface BodyReader<T> {
  parse(piece: string, out: T[]): void;
  end?(out: T[]): void;
  broken(err: unknown): Error;
}

export interface UpstreamPost {
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
}

/** POSTs `post` to `url`, following same-origin 307/308 redirects only. */
export function postUpstream(url: string, post: UpstreamPost, doFetch?: typeof fetch): Promise<UpstreamResponse> {
  if (doFetch) return fetchSameOrigin(doFetch, url, { method: 'POST', ...post }).then(fromFetch);
  return followSameOrigin(url, 'POST', (target) => send(target, post));
}

function send(target: string, post: UpstreamPost): Promise<UpstreamResponse> {
  const parsed = new URL(target);
  const client = parsed.protocol === 'https:' ? https : parsed.protocol === 'http:' ? http : null;
  if (!client) return Promise.reject(new TypeError(`unsupported protocol ${parsed.protocol}`));
  return new Promise((resolve, reject) => {
    const req = client.request(
      parsed,
      {
        method: 'POST',
        // What fetch() sent besides the adapter's headers (some gateways refuse a request without a user agent).
        headers: { 'user-agent': 'node', 'accept-encoding': 'gzip, deflate, br', ...post.headers, 'content-length': String(Buffer.byteLength(post.body)) },
        signal: post.signal,
      },
      (res) => resolve(fromNode(res)),
    );
    // After the answer has begun, a failure reaches its body instead (the reader reports it).
    req.on('error', reject);
    req.end(post.body);
  });
}

const DECODERS: Record<string, () => zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress> = {
  gzip: () => zlib.createGunzip(),
  'x-gzip': () => zlib.createGunzip(),
  deflate: () => zlib.createInflate(),
  br: () => zlib.createBrotliDecompress(),
};

function fromNode(res: http.IncomingMessage): UpstreamResponse {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const decode = DECODERS[(headers.get('content-encoding') ?? '').trim().toLowerCase()];
  let body: Readable = res;
  if (decode) {
    const unpack = decode();
    res.on('error', (err) => unpack.destroy(err));
    body = res.pipe(unpack);
  }
  body.setEncoding('utf8');
  const status = res.statusCode ?? 0;
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: res.statusMessage ?? '',
    headers,
    read: (reader) => batchesOf(body, reader),
    text: () => textOf(body),
    discard: () => {
      res.destroy();
      body.destroy();
    },
  };
}

function fromFetch(res: Response): UpstreamResponse {
  return {
    ok: res.ok,
    status: res.status,
    statusText: res.statusText,
    headers: res.headers,
    read: async function* <T>(reader: BodyReader<T>) {
      const decoder = new TextDecoder();
      const out: T[] = [];
      const take = () => out.splice(0);
      if (res.body) {
        const bytes = res.body.getReader();
        try {
          for (;;) {
            let step: Awaited<ReturnType<typeof bytes.read>>;
            try {
              step = await bytes.read();
            } catch (err) {
              throw reader.broken(err);
            }
            if (step.done) break;
            reader.parse(decoder.decode(step.value, { stream: true }), out);
            if (out.length > 0) yield take();
          }
        } finally {
          await bytes.cancel().catch(() => undefined);
        }
      }
      const rest = decoder.decode();
      if (rest) reader.parse(rest, out);
      reader.end?.(out);
      if (out.length > 0) yield take();
    },
    text: () => res.text(),
    discard: () => res.body?.cancel().catch(() => undefined),
  };
}

/** A paused body holds at most this many unread batches before the socket stops being read. */
const HIGH_WATER_BATCHES = 64;

function textOf(body: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    body.on('data', (piece: string) => {
      text += piece;
    });
    body.once('end', () => resolve(text));
    body.once('error', reject);
  });
}

/**
 * The body as batches of parsed items: `parse` runs in the `data` callback itself, so a network
 * read costs one callback and at most one promise however many items it completes (a stream
 * iterator and an async generator on top of it cost several per token). Reading stops while
 * batches pile up unread; leaving early (`return`) destroys the body, closing the connection.
 */
function batchesOf<T>(body: Readable, reader: BodyReader<T>): AsyncIterable<T[]> {
  return {
    [Symbol.asyncIterator]: () => {
      const queue: T[][] = [];
      let ended = false;
      let failure: Error | null = null;
      let waiter: { resolve: (r: IteratorResult<T[]>) => void; reject: (err: Error) => void } | null = null;
      const settle = () => {
        const w = waiter;
        if (!w) return;
        if (queue.length > 0) {
          waiter = null;
          w.resolve({ value: queue.shift()!, done: false });
        } else if (failure) {
          waiter = null;
          w.reject(failure);
        } else if (ended) {
          waiter = null;
          w.resolve({ value: undefined, done: true });
        }
      };
      const fail = (err: unknown) => {
        failure ??= reader.broken(err);
        settle();
      };
      body.on('data', (piece: string) => {
        const out: T[] = [];
        try {
          reader.parse(piece, out);
        } catch (err) {
          // A parse error is the answer's own failure, not the connection's.
          failure ??= err instanceof Error ? err : new Error(String(err));
          body.destroy();
          settle();
          return;
        }
        if (out.length === 0) return;
        queue.push(out);
        if (queue.length >= HIGH_WATER_BATCHES) body.pause();
        settle();
      });
      body.once('end', () => {
        const out: T[] = [];
        reader.end?.(out);
        if (out.length > 0) queue.push(out);
        ended = true;
        settle();
      });
      body.once('error', fail);
      // A connection closed before the body ended, without an error of its own, is a broken answer.
      body.once('close', () => {
        if (!ended) fail(Object.assign(new Error('the connection closed before the answer ended'), { code: 'ECONNRESET' }));
      });
      return {
        next: () => {
          if (queue.length > 0) {
            const value = queue.shift()!;
            if (body.isPaused() && queue.length < HIGH_WATER_BATCHES / 2) body.resume();
            return Promise.resolve({ value, done: false });
          }
          if (failure) return Promise.reject(failure);
          if (ended) return Promise.resolve({ value: undefined, done: true });
          return new Promise((resolve, reject) => {
            waiter = { resolve, reject };
          });
        },
        return: () => {
          ended = true;
          body.destroy();
          return Promise.resolve({ value: undefined, done: true });
        },
      };
    },
  };
}
