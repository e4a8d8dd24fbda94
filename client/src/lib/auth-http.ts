/** JSON over HTTP with the envelope and the CSRF header every state-changing request needs. */
import type { ErrorBody } from '../../../protocol/errors.ts';

export class ApiError extends Error {
  readonly body: ErrorBody;
  constructor(body: ErrorBody) {
    super(body.message);
    this.body = body;
  }
}

export async function apiRequest<T>(path: string, opts: { method?: string; body?: unknown } = {}): Promise<T> {
  const method = opts.method ?? (opts.body === undefined ? 'GET' : 'POST');
  const headers: Record<string, string> = {};
  if (method !== 'GET') headers['x-arena-csrf'] = '1';
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, credentials: 'same-origin', ...(opts.body !== undefined && { body: JSON.stringify(opts.body) }) });
  const fallback: ErrorBody = { code: 'internal', message: `HTTP ${res.status}` };
  const json = (await res.json().catch(() => null)) as ({ error?: ErrorBody } & T) | null;
  // Older routes answer bare objects on success, so the HTTP status decides, not an `ok` field.
  if (!res.ok || json === null) throw new ApiError(json?.error ?? fallback);
  return json;
}

export const apiGet = <T>(path: string) => apiRequest<T>(path);
export const apiPost = <T>(path: string, body: unknown = {}) => apiRequest<T>(path, { body });

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
