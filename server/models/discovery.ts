/**
 * Auto-discovery: asks a local Ollama and any OpenAI-compatible servers named in config which
 * models they serve, so an admin can enable them with one click. Never blocks start-up, never
 * fails it: a server that does not answer quickly is simply not listed.
 */
import { fetchSameOrigin } from '../providers/same-origin-fetch.ts';
import { ProviderError } from '../providers/types.ts';

export interface DiscoveredModel {
  /** Suggested registry id, unique per server and model. */
  suggestedId: string;
  /** Model name as the server knows it (the `model` field of a registry entry). */
  model: string;
  baseUrl: string;
  server: string;
}

export const OLLAMA_BASE_URL = 'http://127.0.0.1:11434/v1';

function slug(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 56) || 'model'
  );
}

/** `GET {baseUrl}/models`, the OpenAI-compatible listing that Ollama, vLLM, llama.cpp and LM Studio all serve. */
export async function listServerModels(baseUrl: string, opts: { fetch?: typeof fetch; timeoutMs?: number } = {}): Promise<DiscoveredModel[]> {
  const doFetch = opts.fetch ?? fetch;
  const url = `${baseUrl.replace(/\/+$/, '')}/models`;
  const res = await fetchSameOrigin(doFetch, url, { signal: AbortSignal.timeout(opts.timeoutMs ?? 1500), headers: { accept: 'application/json' } });
  if (!res.ok) throw new ProviderError('http', `HTTP ${res.status} from ${url}`, { status: res.status });
  const body = (await res.json()) as { data?: Array<{ id?: unknown }> };
  const host = new URL(baseUrl).host;
  return (body.data ?? [])
    .map((m) => m.id)
    .filter((id): id is string => typeof id === 'string' && id.length > 0)
    .map((model) => ({
      suggestedId: slug(`${host.split(':')[0] === '127.0.0.1' || host.startsWith('localhost') ? 'local' : host}-${model}`),
      model,
      baseUrl,
      server: host,
    }));
}

export class Discovery {
  #found: DiscoveredModel[] = [];
  #errors: Array<{ baseUrl: string; error: string }> = [];
  #lastRun: Date | null = null;
  readonly #servers: string[];
  readonly #fetch: typeof fetch | undefined;

  constructor(opts: { servers: string[]; fetch?: typeof fetch }) {
    this.#servers = [...new Set(opts.servers)];
    this.#fetch = opts.fetch;
  }

  get servers(): readonly string[] {
    return this.#servers;
  }

  async refresh(): Promise<void> {
    const results = await Promise.allSettled(this.#servers.map((baseUrl) => listServerModels(baseUrl, this.#fetch ? { fetch: this.#fetch } : {})));
    this.#found = results.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
    this.#errors = results.flatMap((r, i) =>
      r.status === 'rejected' ? [{ baseUrl: this.#servers[i]!, error: r.reason instanceof Error ? r.reason.message : String(r.reason) }] : [],
    );
    this.#lastRun = new Date();
  }

  snapshot() {
    return { lastRun: this.#lastRun?.toISOString() ?? null, servers: this.#servers, models: this.#found, unreachable: this.#errors };
  }
}
