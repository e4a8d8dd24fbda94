/**
 * One live view of the standings: subscribe with `standings:subscribe { view }`, follow
 * `standings:update`, subscribe again when the view changes or the socket reconnects. The
 * categories and the rating history of the view are fetched beside it.
 */
import type { ErrorBody } from '../../../protocol/errors.ts';
import type { ServerToClientEvents } from '../../../protocol/events.ts';
import type { CategorySummary, RatingHistoryPoint, Standings, StandingsEntry, StandingsView } from '../../../protocol/standings.ts';
import { ApiError, api } from './http.ts';
import { type AckOf, type ArenaSocket, isError } from './socket.ts';
import { sortEntries } from './standings-table.ts';
import { DEFAULT_SORT, DEFAULT_VIEW, naturalDirection, type SortKey, type SortSpec, sameView, viewInput } from './standings-view.ts';

export interface StandingsOptions {
  view?: StandingsView;
  sort?: SortSpec;
  /** How long a subscription waits for its answer before the page says the standings are slow. */
  subscribeTimeoutMs?: number;
}

/**
 * Why the table is not (or not quite) up to date, for the page to word: the server refused the
 * view, or the answer is slow (`stale`: the last standings stay shown; `computing`: none yet).
 */
export type StandingsProblem = ErrorBody | { slow: 'stale' | 'computing' };
/** Why the rating history is missing: the server's refusal, or no answer at all. */
export type HistoryProblem = ErrorBody | 'unreachable';

export class StandingsState {
  #view = $state.raw<StandingsView>(DEFAULT_VIEW);
  #sort = $state.raw<SortSpec>(DEFAULT_SORT);
  #standings = $state.raw<Standings | null>(null);
  #error = $state.raw<StandingsProblem | null>(null);
  #categories = $state.raw<CategorySummary[] | null>(null);
  #history = $state.raw<RatingHistoryPoint[] | null>(null);
  #historyError = $state.raw<HistoryProblem | null>(null);
  #ranked = $derived.by(() => this.#visible(this.#standings?.models));
  #rated = $derived.by(() => sortEntries(this.#ranked, this.#sort));
  #provisional = $derived.by(() => sortEntries(this.#visible(this.#standings?.provisional), this.#sort, false));
  /** Each subscription's number: only the latest one's answer is shown. */
  #request = 0;
  #categoriesFor: string | null = null;
  #historyFor: string | null = null;
  readonly #socket: ArenaSocket;
  readonly #timeoutMs: number;
  readonly #onUpdate: ServerToClientEvents['standings:update'] = ({ standings }) => {
    if (!sameView(standings.view, this.#view)) return;
    this.#standings = standings;
    this.#error = null;
  };
  // Subscriptions are per connection: renew after every (re)connect, with what may have changed.
  readonly #onConnect = () => {
    this.#historyFor = null;
    void this.#subscribe();
  };

  constructor(socket: ArenaSocket, opts: StandingsOptions = {}) {
    this.#socket = socket;
    this.#timeoutMs = opts.subscribeTimeoutMs ?? 10_000;
    if (opts.view) this.#view = opts.view;
    if (opts.sort) this.#sort = opts.sort;
    socket.on('standings:update', this.#onUpdate);
    socket.on('connect', this.#onConnect);
    if (socket.connected) void this.#subscribe();
  }

  get view(): StandingsView {
    return this.#view;
  }
  get sort(): SortSpec {
    return this.#sort;
  }
  /** The view's standings as last received; null until the first answer (and after a view change, until its answer). */
  get standings(): Standings | null {
    return this.#standings;
  }
  get error(): StandingsProblem | null {
    return this.#error;
  }
  /** Rated models best first (the server's order), for the charts. Deprecated ones only when the view asks for them. */
  get ranked(): StandingsEntry[] {
    return this.#ranked;
  }
  /** Rated models in the table's order. */
  get rated(): StandingsEntry[] {
    return this.#rated;
  }
  /** Models below the view's vote threshold, apart and unranked. */
  get provisional(): StandingsEntry[] {
    return this.#provisional;
  }
  get categories(): CategorySummary[] | null {
    return this.#categories;
  }
  /** Daily Elo of the view's category and votes; null until fetched. */
  get history(): RatingHistoryPoint[] | null {
    return this.#history;
  }
  get historyError(): HistoryProblem | null {
    return this.#historyError;
  }

  /** Changes the view (filters, method): the table waits for the new view's answer. */
  setView(patch: Partial<StandingsView>): void {
    const next = { ...this.#view, ...patch };
    if (JSON.stringify(viewInput(next)) === JSON.stringify(viewInput(this.#view))) return;
    this.#view = next;
    this.#standings = null;
    if (this.#socket.connected) void this.#subscribe();
  }

  setSort(sort: SortSpec): void {
    if (sort.key !== this.#sort.key || sort.dir !== this.#sort.dir) this.#sort = sort;
  }

  /** A click on a column: that column best first, or the other way round when it already sorts the table. */
  sortBy(key: SortKey): void {
    const dir = key === this.#sort.key ? (this.#sort.dir === 'asc' ? 'desc' : 'asc') : naturalDirection(key);
    this.#sort = { key, dir };
  }

  close(): void {
    this.#request++;
    this.#socket.off('standings:update', this.#onUpdate);
    this.#socket.off('connect', this.#onConnect);
    // Leave the view's room: otherwise the server keeps computing it for a page gone.
    if (this.#socket.connected) void this.#socket.emitWithAck('standings:unsubscribe', {});
  }

  #visible(entries: StandingsEntry[] | undefined): StandingsEntry[] {
    return (entries ?? []).filter((e) => this.#view.deprecated === '1' || !e.deprecated);
  }

  async #subscribe(): Promise<void> {
    const id = ++this.#request;
    const view = this.#view;
    // Asked beside the subscription: they do not wait for the fit.
    void this.#loadCategories(view);
    void this.#loadHistory(view);
    let reply: AckOf<'standings:subscribe'>;
    try {
      reply = await this.#socket.timeout(this.#timeoutMs).emitWithAck('standings:subscribe', { view: viewInput(view) });
    } catch {
      if (id !== this.#request || !this.#socket.connected) return; // a reconnect asks again
      // The socket is in the view's room already: the standings arrive as a push once computed.
      this.#error = { slow: this.#standings ? 'stale' : 'computing' };
      return;
    }
    if (id !== this.#request) return;
    if (isError(reply)) {
      this.#error = reply.error;
      return;
    }
    this.#error = null;
    this.#standings = reply.standings;
  }

  async #loadCategories(view: StandingsView): Promise<void> {
    if (this.#categoriesFor === view.votes) return;
    this.#categoriesFor = view.votes;
    try {
      const { categories } = await api('GET /api/standings/categories', { query: { votes: view.votes } });
      if (this.#categoriesFor === view.votes) this.#categories = categories;
    } catch {
      // The select keeps the built-in categories.
      this.#categoriesFor = null;
    }
  }

  async #loadHistory(view: StandingsView): Promise<void> {
    const key = `${view.category}|${view.votes}`;
    if (this.#historyFor === key) return;
    this.#historyFor = key;
    this.#history = null;
    this.#historyError = null;
    try {
      const { points } = await api('GET /api/standings/history', { query: { category: view.category, votes: view.votes } });
      if (this.#historyFor === key) this.#history = points;
    } catch (err) {
      if (this.#historyFor !== key) return;
      this.#historyFor = null;
      this.#historyError = err instanceof ApiError && err.fromServer ? err.body : 'unreachable';
    }
  }
}
