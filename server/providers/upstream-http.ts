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
   * `onItems` gets each read's items in the read's own callback (the array is reused: take what
   * it holds before returning). `onItems` returning true stops reading and closes the body. The
   * promise settles when the body ends; a failure of the connection rejects it with `broken(err)`,
   * and an error thrown by `parse` or `onItems` rejects it as it is.
   */
  pump<T>(reader: BodyReader<T>, onItems: (items: T[]) => boolean | undefined): Promise<void>;
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
    // A pooled socket keeps the agent's idle timeout, re-armed on every read (a cost per token);
    // the answer has timeouts of its own (run-completion.ts), and the agent re-arms it once freed.
    req.once('socket', (socket) => socket.setTimeout(0));
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
    pump: (reader, onItems) => pumpBody(body, reader, onItems),
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
    pump: async <T>(reader: BodyReader<T>, onItems: (items: T[]) => boolean | undefined) => {
      const decoder = new TextDecoder();
      const out: T[] = [];
      const deliver = () => {
        const stop = out.length > 0 && onItems(out) === true;
        out.length = 0;
        return stop;
      };
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
            if (deliver()) return;
          }
        } finally {
          await bytes.cancel().catch(() => undefined);
        }
      }
      const rest = decoder.decode();
      if (rest) reader.parse(rest, out);
      reader.end?.(out);
      deliver();
    },
    text: () => res.text(),
    discard: () => res.body?.cancel().catch(() => undefined),
  };
}

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
 * Feeds the body to `reader` and `onItems` in its `data` callbacks: a network read costs one
 * callback and no promise, however many items it completes. Stopping early destroys the body,
 * closing the connection.
 */
function pumpBody<T>(body: Readable, reader: BodyReader<T>, onItems: (items: T[]) => boolean | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const out: T[] = [];
    const settle = (err?: Error) => {
      if (settled) return;
      settled = true;
      if (err) reject(err);
      else resolve();
    };
    /** Runs `step` (a parse and the delivery of its items); true when reading should stop. */
    const guarded = (step: () => boolean): boolean => {
      try {
        return step();
      } catch (err) {
        // A parse error is the answer's own failure, not the connection's.
        settle(err instanceof Error ? err : new Error(String(err)));
        return true;
      } finally {
        out.length = 0;
      }
    };
    body.on('data', (piece: string) => {
      if (settled) return;
      const stop = guarded(() => {
        reader.parse(piece, out);
        return out.length > 0 && onItems(out) === true;
      });
      if (stop) {
        settle();
        body.destroy();
      }
    });
    body.once('end', () => {
      if (settled) return;
      guarded(() => {
        reader.end?.(out);
        if (out.length > 0) onItems(out);
        return false;
      });
      settle();
    });
    body.once('error', (err) => settle(reader.broken(err)));
    // A connection closed before the body ended, without an error of its own, is a broken answer.
    body.once('close', () => settle(reader.broken(Object.assign(new Error('the connection closed before the answer ended'), { code: 'ECONNRESET' }))));
  });
}
