/**
 * What the three HTTP adapters share: posting the request, turning a failed answer into a
 * ProviderError with the service's own words, and reading a streamed body as SSE events.
 * Messages are short and human, and never carry the API key.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { ProviderRequest } from './types.ts';
import { ProviderError } from './types.ts';
import { postUpstream, type UpstreamResponse } from './upstream-http.ts';

const MAX_ERROR_BODY_CHARS = 64_000;
const MAX_MESSAGE_CHARS = 300;

/** POSTs JSON and returns the response once it is known to be 2xx; throws ProviderError otherwise. */
export async function postJson(req: ProviderRequest, url: string, headers: Record<string, string>, body: unknown): Promise<UpstreamResponse> {
  let res: UpstreamResponse;
  try {
    res = await postUpstream(
      url,
      { headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers }, body: JSON.stringify(body), signal: req.signal },
      req.fetch,
    );
  } catch (err) {
    if (req.signal.aborted) throw req.signal.reason ?? err;
    if (err instanceof ProviderError) throw err;
    throw new ProviderError('connect', `could not connect to ${hostOf(url)}: ${networkReason(err)}`);
  }
  if (!res.ok) throw await httpError(res, req.apiKey);
  return res;
}

/** Builds the error for a non-2xx answer: `HTTP 429 from upstream: Rate limit reached (retry in 20 s)`. */
export async function httpError(
  res: Pick<Response, 'status' | 'statusText' | 'headers' | 'text'>,
  apiKey: string | undefined,
  now = Date.now(),
): Promise<ProviderError> {
  let body = '';
  try {
    body = (await res.text()).slice(0, MAX_ERROR_BODY_CHARS);
  } catch {
    // The status line alone is still worth reporting.
  }
  const retryAfterMs = parseRetryAfter(res.headers, now) ?? retryDelayInBody(body);
  const detail = errorDetail(body) || res.statusText || 'no details';
  const retry = retryAfterMs !== undefined ? ` (retry in ${formatSeconds(retryAfterMs)})` : '';
  const message = `HTTP ${res.status} from upstream: ${clean(detail, apiKey)}${retry}`;
  const kind = res.status === 429 ? 'rate_limited' : 'http';
  return new ProviderError(kind, message, {
    status: res.status,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}

/** An error object the service sent inside an otherwise successful stream. */
export function upstreamError(detail: string, apiKey: string | undefined): ProviderError {
  return new ProviderError('upstream', `upstream error: ${clean(detail, apiKey) || 'no details'}`);
}

/** Reads `retry-after-ms`, or `retry-after` as seconds or an HTTP date. */
export function parseRetryAfter(headers: Headers, now = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms)) && Number(ms) >= 0) {
    return Math.round(Number(ms));
  }
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Gemini says when to retry in the body: `error.details[] {"@type": "…RetryInfo", "retryDelay": "20s"}`. */
export function retryDelayInBody(body: string): number | undefined {
  if (!body.includes('retryDelay')) return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    const error = isRecord(parsed) && isRecord(parsed.error) ? parsed.error : {};
    const details = Array.isArray(error.details) ? error.details : [];
    for (const detail of details) {
      const delay = isRecord(detail) && typeof detail.retryDelay === 'string' ? detail.retryDelay : '';
      const match = /^(\d+(?:\.\d+)?)s$/.exec(delay.trim());
      if (match) return Math.round(Number(match[1]) * 1000);
    }
  } catch {
    // Not JSON: no delay to read.
  }
  return undefined;
}

/**
 * Pulls the human part out of an error body: `error.message` (OpenAI, Anthropic, Gemini, vLLM),
 * `error` as a string (Ollama), `message` or `detail` (other servers), else the text itself.
 */
export function errorDetail(body: string): string {
  const trimmed = body.trim();
  if (!trimmed) return '';
  try {
    const fromJson = messageOf(JSON.parse(trimmed));
    if (fromJson) return fromJson;
  } catch {
    // Not JSON; fall through to the raw text.
  }
  if (/^<(!doctype|html)/i.test(trimmed)) {
    return /<title>([^<]*)<\/title>/i.exec(trimmed)?.[1]?.trim() ?? '';
  }
  return trimmed;
}

export function messageOf(value: unknown): string {
  if (Array.isArray(value)) return messageOf(value[0]);
  if (!isRecord(value)) return '';
  const { error } = value;
  if (typeof error === 'string') return error;
  if (isRecord(error) && typeof error.message === 'string') return error.message;
  if (typeof value.message === 'string') return value.message;
  if (typeof value.detail === 'string') return value.detail;
  return '';
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads a streamed body as SSE events, handing `onEvent` each one in the network read's own
 * callback (a token costs no async step before its adapter). The body is decoded once
 * (upstream-http.ts) and each event's data is handed on as the parser cut it, to be JSON-parsed
 * once by the adapter; `onEvent` returning true ends the reading (the body is dropped, so the
 * socket closes). A break in the connection becomes a `protocol` error (the stream broke off).
 */
export async function streamSseEvents(
  res: UpstreamResponse,
  req: ProviderRequest,
  url: string,
  onEvent: (event: EventSourceMessage) => boolean | undefined,
): Promise<void> {
  if (/^application\/json\b/i.test(res.headers.get('content-type') ?? '')) {
    // Some servers answer a streaming request with a plain JSON error (and status 200).
    const detail = errorDetail(await res.text());
    if (detail) throw upstreamError(detail, req.apiKey);
    throw new ProviderError('protocol', 'the upstream answered with JSON instead of an event stream');
  }
  let out: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => out.push(event) });
  await res.pump<EventSourceMessage>(
    {
      parse: (piece, into) => {
        out = into;
        parser.feed(piece);
      },
      // A last event the server did not end with a blank line is still an event.
      end: (into) => {
        out = into;
        parser.feed('\n\n');
      },
      broken: (err) => {
        if (req.signal.aborted) return req.signal.reason instanceof Error ? req.signal.reason : new ProviderError('aborted', 'the request was cancelled');
        return new ProviderError('protocol', `the connection to ${hostOf(url)} broke mid-answer: ${networkReason(err)}`);
      },
    },
    (events) => {
      for (const event of events) if (onEvent(event) === true) return true;
      return false;
    },
  );
}

/** Parses one event's JSON, or throws a `protocol` error quoting the start of the frame. */
export function parseFrame(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    const preview = data.length > 60 ? `${data.slice(0, 60)}…` : data;
    throw new ProviderError('protocol', `unreadable frame from upstream: ${JSON.stringify(preview)}`);
  }
}

/** Joins a configured base URL and a path without doubling or dropping the slash. */
export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${path}`;
}

/** Drops extra fields set to `null` (a way to remove a default field) and sets the rest. */
export function mergeExtra(body: Record<string, unknown>, extra: Record<string, unknown> | undefined): Record<string, unknown> {
  const merged = { ...body };
  for (const [key, value] of Object.entries(extra ?? {})) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the upstream';
  }
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host lookup failed',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'timed out',
};

/** The interesting part (ECONNREFUSED, "other side closed"): fetch() wraps it in `cause`, node:http throws it as it is. */
function networkReason(err: unknown): string {
  const cause: unknown = err instanceof Error ? (err.cause ?? err) : undefined;
  if (isRecord(cause)) {
    const nested = Array.isArray(cause.errors) && isRecord(cause.errors[0]) ? cause.errors[0].code : undefined;
    const code = typeof cause.code === 'string' ? cause.code : typeof nested === 'string' ? nested : undefined;
    if (code && NETWORK_CODES[code]) return `${NETWORK_CODES[code]} (${code})`;
    if (typeof cause.message === 'string' && cause.message) return cause.message;
    if (code) return code;
  }
  return err instanceof Error ? err.message : String(err);
}

function formatSeconds(ms: number): string {
  return `${Math.max(1, Math.round(ms / 1000))} s`;
}

/** The key, and anything shaped like an OpenAI-style key, taken out of a text. */
export function redactSecrets(text: string, apiKey: string | undefined): string {
  const out = apiKey && apiKey.length >= 4 ? text.split(apiKey).join('[redacted]') : text;
  return out.replace(/\bsk-[A-Za-z0-9_*-]{6,}/g, 'sk-[redacted]');
}

/** One line, bounded, and with the key (or anything shaped like an OpenAI key) taken out. */
function clean(text: string, apiKey: string | undefined): string {
  const out = redactSecrets(text.replace(/\s+/g, ' ').trim(), apiKey);
  return out.length > MAX_MESSAGE_CHARS ? `${out.slice(0, MAX_MESSAGE_CHARS - 1)}…` : out;
}
