/**
 * The battle history page: the filters (kept in the page's link, `#/history?q=…&offset=…`), the
 * page of battles the server answers for them, and paging. Only the newest request's answer is
 * shown, so a slow answer to an older search never replaces a newer one.
 */
import type { ErrorBody } from '../../../protocol/errors.ts';
import type { BattleSummary } from '../../../protocol/standings.ts';
import { api, errorBodyOf } from './http.ts';
import { withQuery } from './links.ts';

export interface HistoryFilters {
  q: string;
  /** A model id; '' for every model. */
  model: string;
  /** A category id; '' for every category. */
  category: string;
  offset: number;
  limit: number;
}

export const HISTORY_PATH = '#/history';
const DEFAULT_LIMIT = 25;

/** The filters a `#/history?…` link carries; anything missing or malformed falls back to the default. */
export function filtersFrom(query: URLSearchParams): HistoryFilters {
  const int = (name: string, fallback: number, min: number, max: number) => {
    const n = Number(query.get(name));
    return query.has(name) && Number.isInteger(n) && n >= min && n <= max ? n : fallback;
  };
  return {
    q: (query.get('q') ?? '').slice(0, 200),
    model: query.get('model') ?? '',
    category: query.get('category') ?? '',
    offset: int('offset', 0, 0, 1_000_000),
    limit: int('limit', DEFAULT_LIMIT, 1, 100),
  };
}

export class HistoryState {
  #filters = $state.raw<HistoryFilters>(filtersFrom(new URLSearchParams()));
  #battles = $state.raw<BattleSummary[] | null>(null);
  #total = $state(0);
  #loading = $state(false);
  #error = $state.raw<ErrorBody | null>(null);
  #request = 0;

  constructor(filters: HistoryFilters) {
    this.#filters = filters;
  }

  get filters(): HistoryFilters {
    return this.#filters;
  }
  /** The current page of battles; null before the first answer. */
  get battles(): readonly BattleSummary[] | null {
    return this.#battles;
  }
  /** Battles matching the filters, over all pages. */
  get total(): number {
    return this.#total;
  }
  get loading(): boolean {
    return this.#loading;
  }
  /** Why the last search failed, for the page to word (`i18n.error`). */
  get error(): ErrorBody | null {
    return this.#error;
  }
  get page(): number {
    return Math.floor(this.#filters.offset / this.#filters.limit) + 1;
  }
  get pages(): number {
    return Math.max(1, Math.ceil(this.#total / this.#filters.limit));
  }
  get hasPrevious(): boolean {
    return this.#filters.offset > 0;
  }
  get hasNext(): boolean {
    return this.#filters.offset + this.#filters.limit < this.#total;
  }
  /** The link of what is on screen, for the address bar. */
  get href(): string {
    const { q, model, category, offset, limit } = this.#filters;
    return withQuery(HISTORY_PATH, { q, model, category, offset: offset || undefined, limit: limit === DEFAULT_LIMIT ? undefined : limit });
  }

  /** Other filters altogether (a link followed to this page): shown from where they say. */
  show(filters: HistoryFilters): Promise<void> {
    return this.#set(filters);
  }
  /** A new search text: back to the first page. */
  search(q: string): Promise<void> {
    return this.#set({ q, offset: 0 });
  }
  filter(change: Partial<Pick<HistoryFilters, 'model' | 'category'>>): Promise<void> {
    return this.#set({ ...change, offset: 0 });
  }
  next(): Promise<void> {
    return this.hasNext ? this.#set({ offset: this.#filters.offset + this.#filters.limit }) : Promise.resolve();
  }
  previous(): Promise<void> {
    return this.hasPrevious ? this.#set({ offset: Math.max(0, this.#filters.offset - this.#filters.limit) }) : Promise.resolve();
  }

  async load(): Promise<void> {
    const request = ++this.#request;
    const { q, model, category, offset, limit } = this.#filters;
    this.#loading = true;
    try {
      const body = await api('GET /api/battles', { query: { q: q || undefined, model: model || undefined, category: category || undefined, offset, limit } });
      if (request !== this.#request) return;
      this.#battles = body.battles;
      this.#total = body.total;
      this.#error = null;
    } catch (err) {
      if (request === this.#request) this.#error = errorBodyOf(err);
    } finally {
      if (request === this.#request) this.#loading = false;
    }
  }

  #set(change: Partial<HistoryFilters>): Promise<void> {
    this.#filters = { ...this.#filters, ...change };
    return this.load();
  }
}
