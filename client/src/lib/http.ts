/**
 * The typed HTTP helper: `api('PATCH /api/admin/models/:id', { params: { id }, body })` asks the
 * route of protocol/http.ts and resolves to its success type, or throws ApiError with the
 * server's error envelope.
 */
import type { ErrorBody } from '../../../protocol/errors.ts';
import { CSRF_HEADER, VOTER_HEADER } from '../../../protocol/headers.ts';
import type { BareRouteKey, JsonRouteKey, RequestOf, ResponseOf, RouteKey } from '../../../protocol/http.ts';
import { storedVoterId } from './voter.ts';

export class ApiError extends Error {
  readonly body: ErrorBody;
  /** False when the answer carried no error envelope (not the server's own words: e.g. a proxy's page). */
  readonly fromServer: boolean;
  constructor(body: ErrorBody, fromServer = true) {
    super(body.message);
    this.body = body;
    this.fromServer = fromServer;
  }
}

type QueryValue = string | number | boolean | undefined;
interface LooseRequest {
  params?: Record<string, string | number>;
  query?: Record<string, QueryValue>;
  body?: unknown;
}

/** The route's method and its URL: path parameters filled in (encoded), the query appended. */
export function routeUrl<K extends RouteKey>(key: K, ...[request]: OptionalIfBare<K>): string {
  return split(key, request as LooseRequest | undefined).url;
}

function split(key: RouteKey, request: LooseRequest = {}): { method: string; url: string } {
  const [method, pattern] = key.split(' ') as [string, string];
  const path = pattern.replace(/:(\w+)/g, (_, name: string) => {
    const value = request.params?.[name];
    if (value === undefined) throw new Error(`${key}: no value for :${name}`);
    return encodeURIComponent(String(value));
  });
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(request.query ?? {})) if (value !== undefined) query.append(name, String(value));
  const search = query.toString();
  return { method, url: search ? `${path}?${search}` : path };
}

type OptionalIfBare<K extends RouteKey> = K extends BareRouteKey ? [request?: RequestOf<K>] : [request: RequestOf<K>];

/**
 * JSON over HTTP with the envelope and the CSRF header every state-changing request needs. A POST
 * without a body sends `{}`; a DELETE sends none. The browser's voter id goes along (as on the
 * socket), so an anonymous visitor's own battles are theirs over HTTP too.
 */
export async function api<K extends JsonRouteKey>(key: K, ...[request]: OptionalIfBare<K>): Promise<ResponseOf<K>> {
  const loose = (request ?? {}) as LooseRequest;
  const { method, url } = split(key, loose);
  const body = loose.body ?? (method === 'GET' || method === 'DELETE' ? undefined : {});
  const headers: Record<string, string> = {};
  if (method !== 'GET') headers[CSRF_HEADER] = '1';
  const voter = storedVoterId();
  if (voter) headers[VOTER_HEADER] = voter;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, { method, headers, credentials: 'same-origin', ...(body !== undefined && { body: JSON.stringify(body) }) });
  const json: unknown = await res.json().catch(() => null);
  // Older routes answer bare objects on success, so the HTTP status decides, not an `ok` field.
  if (!res.ok || json === null) {
    const error = (json as { error?: ErrorBody } | null)?.error;
    throw new ApiError(error ?? { code: 'internal', message: `HTTP ${res.status}` }, error !== undefined);
  }
  return json as ResponseOf<K>;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * A failure as an error body, for the page to word in its language (`i18n.error`): the server's
 * own, or `unavailable` when the server could not be reached (the browser's words as the detail).
 */
export function errorBodyOf(err: unknown): ErrorBody {
  if (err instanceof ApiError) return err.body;
  return { code: 'unavailable', message: errorText(err) };
}
