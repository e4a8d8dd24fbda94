/** Accounts for tests: users made directly, real sign-in over HTTP (real cookies), sockets carrying the cookie. */
import { io as connectClient } from 'socket.io-client';
import type { RoleName } from '../../protocol/auth.ts';
import { CLI_ACTOR } from '../../server/auth/audit.ts';
import type { TestServer, TestSocket } from './test-server.ts';

export const PASSWORD = 'correct horse battery';

export interface ApiResult<T = Record<string, unknown>> {
  status: number;
  body: T & { ok: boolean; error?: { code: string; message: string; retryAfterMs?: number; problems?: Array<{ line: number; message: string }> } };
  headers: Headers;
}

export interface ApiOptions {
  method?: string;
  body?: unknown;
  cookie?: string | undefined;
  /** Send the CSRF header (default true); set false to prove a refusal. */
  csrf?: boolean;
  headers?: Record<string, string>;
}

/** JSON over real HTTP; non-JSON bodies come back as `{ text }`. */
export async function api<T = Record<string, unknown>>(server: Pick<TestServer, 'url'>, path: string, opts: ApiOptions = {}): Promise<ApiResult<T>> {
  const method = opts.method ?? (opts.body === undefined ? 'GET' : 'POST');
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.csrf !== false && method !== 'GET') headers['x-arena-csrf'] = '1';
  const res = await fetch(`${server.url}${path}`, { method, headers, ...(opts.body !== undefined && { body: JSON.stringify(opts.body) }) });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = { ok: res.ok, text };
  }
  return { status: res.status, body: body as ApiResult<T>['body'], headers: res.headers };
}

/** The `name=value` part of the session Set-Cookie, ready for a Cookie header. */
export function sessionCookie(res: ApiResult): string {
  const header = res.headers.getSetCookie().find((c) => c.startsWith('arena_session='));
  if (!header) throw new Error(`no session cookie (status ${res.status}: ${JSON.stringify(res.body)})`);
  return header.split(';')[0]!;
}

export async function addUser(server: TestServer, email: string, role: RoleName, password = PASSWORD): Promise<void> {
  await server.app.auth.addUser(email, role, password, CLI_ACTOR);
}

export async function login(server: Pick<TestServer, 'url'>, email: string, password = PASSWORD): Promise<string> {
  return sessionCookie(await api(server, '/api/auth/login', { body: { email, password } }));
}

/** A user of that role, signed in; returns their cookie. */
export async function signedIn(server: TestServer, email: string, role: RoleName): Promise<string> {
  await addUser(server, email, role);
  return login(server, email);
}

/** A socket.io client sending the cookie (and any headers) on its handshake, like a browser tab. */
export async function connectWith(server: Pick<TestServer, 'url'>, headers: Record<string, string> = {}): Promise<TestSocket> {
  const socket: TestSocket = connectClient(server.url, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: headers });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}
