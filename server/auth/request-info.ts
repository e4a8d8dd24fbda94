/**
 * What can be believed about where a request came from: the peer address, and proxy headers only
 * when that peer is a configured trusted proxy.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** `::ffff:127.0.0.1` → `127.0.0.1`, so lists can name IPv4 addresses plainly. */
export function normalizeAddress(address: string | undefined): string {
  if (!address) return '';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

export function firstHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export class TrustedProxies {
  readonly #addresses: ReadonlySet<string>;
  constructor(addresses: readonly string[]) {
    this.#addresses = new Set(addresses.map(normalizeAddress));
  }

  trusts(peer: string): boolean {
    return this.#addresses.has(normalizeAddress(peer));
  }

  /** The client's address: the last hop of X-Forwarded-For when the peer is a trusted proxy. */
  clientIp(peer: string, headers: IncomingHttpHeaders): string {
    const forwarded = firstHeader(headers, 'x-forwarded-for');
    if (forwarded && this.trusts(peer)) {
      const hops = forwarded
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (hops.length > 0) return normalizeAddress(hops[hops.length - 1]);
    }
    return normalizeAddress(peer);
  }

  /** TLS reached the client: our own socket is encrypted, or a trusted proxy says it terminated TLS. */
  isHttps(peer: string, headers: IncomingHttpHeaders, encrypted: boolean): boolean {
    if (encrypted) return true;
    const proto = firstHeader(headers, 'x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
    return proto === 'https' && this.trusts(peer);
  }
}
