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
  /** The body as text, piece by piece as it arrives (UTF-8 sequences split across reads are joined). */
  pieces(): AsyncIterable<string>;
  text(): Promise<string>;
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
        headers: { ...post.headers, 'accept-encoding': 'gzip, deflate, br', 'content-length': String(Buffer.byteLength(post.body)) },
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
    pieces: () => piecesOf(body),
    text: async () => {
      let text = '';
      for await (const piece of piecesOf(body)) text += piece;
      return text;
    },
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
    pieces: async function* () {
      if (!res.body) return;
      const decoder = new TextDecoder();
      for await (const bytes of res.body) yield decoder.decode(bytes, { stream: true });
      const rest = decoder.decode();
      if (rest) yield rest;
    },
    text: () => res.text(),
    discard: () => res.body?.cancel().catch(() => undefined),
  };
}

/** A paused body holds at most this many unread pieces before the socket stops being read. */
const HIGH_WATER_PIECES = 64;

/**
 * The body's pieces as an async iterable: one `data` callback and at most one promise a network
 * read (Node's own stream iterator costs about three times that per token). Reading stops while
 * pieces pile up unread; leaving early (`return`) destroys the body, closing the connection.
 */
export function piecesOf(body: Readable): AsyncIterable<string> {
  return {
    [Symbol.asyncIterator]: () => {
      const queue: string[] = [];
      let ended = false;
      let failure: Error | null = null;
      let waiter: { resolve: (r: IteratorResult<string>) => void; reject: (err: Error) => void } | null = null;
      const settle = () => {
        if (!waiter) return;
        const w = waiter;
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
      body.on('data', (piece: string) => {
        queue.push(piece);
        if (queue.length >= HIGH_WATER_PIECES) body.pause();
        settle();
      });
      body.once('end', () => {
        ended = true;
        settle();
      });
      body.once('error', (err) => {
        failure = err;
        settle();
      });
      // A connection closed before the body ended, without an error of its own, is a broken answer.
      body.once('close', () => {
        if (!ended && !failure) failure = Object.assign(new Error('the connection closed before the answer ended'), { code: 'ECONNRESET' });
        settle();
      });
      return {
        next: () => {
          if (queue.length > 0) {
            const value = queue.shift()!;
            if (body.isPaused() && queue.length < HIGH_WATER_PIECES / 2) body.resume();
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
