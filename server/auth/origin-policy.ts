/**
 * Which names this server answers to, and which pages may talk to it.
 *
 * Host: DNS rebinding points an attacker's name at this server (127.0.0.1 or a LAN address), so
 * that the attacker's page is "same-origin" with it. Such a request carries the attacker's name in
 * `Host`, so only names known to be ours are served: loopback names, IP literals (rebinding needs
 * a DNS name), this machine's own name, and the hosts of the configured public origins.
 *
 * Origin: compared by scheme, host and port with this server's own origin as the browser sees it
 * (https when TLS reached us or a trusted proxy says it terminated TLS), the public origins and
 * the allowed ones.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { firstHeader, type TrustedProxies } from './request-info.ts';

export interface OriginPolicyOptions {
  /** Where the arena is served (e.g. `https://arena.example.com`); their hosts are allowed in `Host`. */
  publicOrigins: readonly string[];
  /** Other sites that may open sockets and send state-changing requests. */
  allowedOrigins: readonly string[];
  proxies: TrustedProxies;
  /** Further names of this machine to answer to (by default its hostname, plain and `.local`). */
  machineNames?: readonly string[];
}

/** What is known of one request or socket handshake. */
export interface RequestSource {
  headers: IncomingHttpHeaders;
  peer: string;
  encrypted: boolean;
}

export class OriginPolicy {
  readonly #publicHosts: ReadonlySet<string>;
  readonly #origins: ReadonlySet<string>;
  readonly #proxies: TrustedProxies;

  constructor(opts: OriginPolicyOptions) {
    const machine = opts.machineNames ?? [hostname(), `${hostname()}.local`];
    this.#publicHosts = new Set([...opts.publicOrigins.map((o) => new URL(o).hostname), ...machine].map((h) => h.toLowerCase()));
    this.#origins = new Set([...opts.publicOrigins, ...opts.allowedOrigins].map((o) => new URL(o).origin));
    this.#proxies = opts.proxies;
  }

  hostAllowed(headers: IncomingHttpHeaders): boolean {
    const hostname = hostnameOf(firstHeader(headers, 'host'));
    if (hostname === null) return false;
    if (hostname === 'localhost' || hostname.endsWith('.localhost')) return true;
    if (isIP(hostname.replace(/^\[|\]$/g, '')) !== 0) return true;
    return this.#publicHosts.has(hostname);
  }

  /** Requests without Origin are not from a cross-site page (browsers send it on cross-origin requests and every WebSocket). */
  originAllowed(source: RequestSource): boolean {
    const origin = firstHeader(source.headers, 'origin');
    if (origin === undefined) return true;
    const parsed = parseOrigin(origin);
    if (parsed === null) return false;
    if (this.#origins.has(parsed)) return true;
    const host = firstHeader(source.headers, 'host');
    if (!host) return false;
    const scheme = this.#proxies.isHttps(source.peer, source.headers, source.encrypted) ? 'https' : 'http';
    return parseOrigin(`${scheme}://${host}`) === parsed;
  }

  /** Why a request or handshake is refused, or null. */
  refusal(source: RequestSource): string | null {
    if (!this.hostAllowed(source.headers)) {
      return 'this server does not answer to that host name; add its origin to publicOrigins (or ARENA_PUBLIC_ORIGINS)';
    }
    return this.originAllowed(source) ? null : 'origin not allowed';
  }
}

function hostnameOf(host: string | undefined): string | null {
  if (!host) return null;
  try {
    return new URL(`http://${host}`).hostname.toLowerCase();
  } catch {
    return null;
  }
}

/** `scheme://host[:port]` with default ports dropped, or null for `null` and garbage. */
function parseOrigin(value: string): string | null {
  if (value === 'null') return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}
