/**
 * Every request to a model service goes through here: redirects are followed only within the
 * configured origin. fetch() would follow a 307 to any host with the same headers, handing
 * `x-api-key` or `x-goog-api-key` to whoever the upstream (or an open redirect on it) names.
 */
import { ProviderError } from './types.ts';

const MAX_REDIRECTS = 3;
/** The only redirects that keep a POST a POST with its body; 301/302/303 would turn it into a GET. */
const REPEATABLE = new Set([307, 308]);

export async function fetchSameOrigin(doFetch: typeof fetch, url: string, init: RequestInit): Promise<Response> {
  const origin = new URL(url).origin;
  let target = url;
  for (let hop = 0; ; hop++) {
    const res = await doFetch(target, { ...init, redirect: 'manual' });
    if (res.status < 300 || res.status > 399) return res;
    await res.body?.cancel().catch(() => undefined);
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
    const method = (init.method ?? 'GET').toUpperCase();
    if (method !== 'GET' && !REPEATABLE.has(res.status)) {
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

function safeUrl(location: string, base: string): URL | null {
  try {
    return new URL(location, base);
  } catch {
    return null;
  }
}
