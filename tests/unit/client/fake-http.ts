/** A `fetch` for node that answers from the test's table and records every request. */
import { vi } from 'vitest';

export interface Recorded {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

type Answer = { status?: number; json?: unknown; text?: string } | Error;

/** Replaces the global fetch; `answer` maps `METHOD url` to what the server says. */
export function fakeFetch(answer: (method: string, url: string) => Answer): Recorded[] {
  const requests: Recorded[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit = {}) => {
      const method = init.method ?? 'GET';
      const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
      requests.push({ method, url, headers: { ...(init.headers as Record<string, string>) }, body });
      const reply = answer(method, url);
      if (reply instanceof Error) throw reply;
      const text = reply.text ?? JSON.stringify(reply.json ?? {});
      return new Response(text, { status: reply.status ?? 200, headers: { 'content-type': 'application/json' } });
    }),
  );
  return requests;
}
