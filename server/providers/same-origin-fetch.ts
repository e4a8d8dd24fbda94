/**
 * Every request to a model service goes through here: redirects are followed only within the
 * configured origin. fetch() would follow a 307 to any host with the same headers, handing
 * `x-api-key` or `x-goog-api-key` to whoever the upstream (or an open redirect on it) names.
 */
import { ProviderError } from './types.ts';

const MAX_REDIRECTS = 3;
/** The only redirects that keep a POST a POST with its body; 301/302/303 would turn it into a GET. */
const REPEATABLE = new Set([307, 308]);

/** What the redirect rule reads of an answer, and how to drop one it will not return. */
export interface Hop {
  status: number;
  headers: { get(name: string): string | null };
  discard(): void | Promise<void>;
}

/** Sends to `url` (never following a redirect itself) and follows same-origin 307/308s, at most 3. */
export async function followSameOrigin<R extends Hop>(url: string, method: string, send: (target: string) => Promise<R>): Promise<R> {
  const origin = new URL(url).origin;
  let target = url;
  for (let hop = 0; ; hop++) {
    const res = await send(target);
    if (res.status < 300 || res.status > 399) return res;
    await res.discard();
    const location = res.headers.get('location');
    const next = location ? safeUrl(location, target) : null;
    if (!next) throw new ProviderError('http', `HTTP ${res.status} from upstream: a redirect without a usable Location`, { status: res.status });
    if (next.origin !== origin) {
      throw new ProviderError(
        'http',
        `HTTP ${res.status} from upstream: redirected to another origin (${next.host}); not followed, so the key stays with ${new URL(url).host}. Set baseUrl to the final address`,
        {
          status: res.status,
        },
      );
    }
    if (method.toUpperCase() !== 'GET' && !REPEATABLE.has(res.status)) {
      throw new ProviderError(
        'http',
        `HTTP ${res.status} from upstream: redirected in a way that would drop the request body; set baseUrl to the final address`,
        { status: res.status },
      );
    }
    if (hop >= MAX_REDIRECTS) throw new ProviderError('http', `HTTP ${res.status} from upstream: too many redirects`, { status: res.status });
    target = next.href;
  }
}

/** The same rule over a fetch() (model discovery, and requests given a fetch of their own). */
export async function fetchSameOrigin(doFetch: typeof fetch, url: string, init: RequestInit): Promise<Response> {
  const send = async (target: string) => {
    const res = await doFetch(target, { ...init, redirect: 'manual' });
    return Object.assign(res, { discard: () => res.body?.cancel().catch(() => undefined) });
  };
  return followSameOrigin(url, init.method ?? 'GET', send);
}

function safeUrl(location: string, base: string): URL | null {
  try {
    return new URL(location, base);
  } catch {
    return null;
  }
}
