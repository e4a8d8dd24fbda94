/**
 * Live standings views. Each distinct fit (method, category, votes, dates) is computed in the
 * worker thread and kept; a vote that belongs to a view marks its fit stale, and a fit that
 * someone watches (a socket in one of its rooms) is recomputed, coalesced to at most one fit per
 * `minIntervalMs`, then pushed to each room (one per view: threshold and deprecated filter apply
 * on the main thread). A view nobody watches is not refitted; asked for over HTTP, it answers its
 * latest fit (marked stale) and refits once.
 */
import type { CategoryId, Standings, StandingsQuery, StandingsView } from '../../protocol/standings.ts';
import { AppError } from '../transport/errors.ts';
import type { IntervalChoice } from './fit-methods.ts';
import { buildStandings, type StandingsLookups } from './standings-build.ts';
import type { StandingsTask, TaskResult } from './tasks.ts';
import type { ViewFit } from './view-fit.ts';
import { filterHolds, timeBounds, type VoteFilter } from './views-repo.ts';

export interface FiledVoteFacts {
  categories: readonly CategoryId[];
  visibility: 'public' | 'flagged' | 'private';
  at: number;
}

export interface ViewServiceDeps {
  run: <T extends StandingsTask>(task: T) => Promise<TaskResult<T>>;
  lookups: StandingsLookups;
  /** The threshold of a view that names none (config `standings.minVotes`). */
  minVotes: number;
  eloK: number;
  bootstrap?: number;
  seed?: number;
  /** The interval method and prior of a view that names none (config `standings.intervals`). */
  intervals: IntervalChoice;
  /** Prompt deduplication's top share (config `standings.promptDedup.topShare`). */
  dedupTopShare: number;
  emit: (room: string, standings: Standings) => void;
  audience: (room: string) => number;
  minIntervalMs: number;
  now: () => number;
  onError: (error: Error) => void;
}

interface FitState {
  filter: VoteFilter;
  method: StandingsView['method'];
  intervals: IntervalChoice;
  styleControl: boolean;
  result: { fit: ViewFit; computedAt: number; mark: number } | null;
  /** The fit before the latest votes changed it. */
  previous: ViewFit | null;
  changes: number;
  dispatched: number;
  running: Promise<void> | null;
  cancel: (() => void) | null;
  lastEnd: number;
  /** Rooms of the views of this fit that were subscribed to, with their view. */
  rooms: Map<string, StandingsQuery>;
  usedAt: number;
}

/** Fits kept at most; the least recently used unwatched one goes first. */
const MAX_FITS = 100;

/** The interval method and prior a view uses: its own `ci` and `clustered`, else the configured ones. */
export function intervalsOf(view: Pick<StandingsQuery, 'ci' | 'clustered'>, defaults: IntervalChoice): IntervalChoice {
  return {
    method: view.ci ?? defaults.method,
    clustered: view.clustered === undefined ? defaults.clustered : view.clustered === '1',
    priorSd: defaults.priorSd,
  };
}

/** What decides a view's fit (not its listing): method, votes, dates, style control, intervals. */
function fitKey(view: StandingsQuery, intervals: IntervalChoice): string {
  const { method, category, votes, from, to, styleControl } = view;
  return JSON.stringify([method, category, votes, from ?? null, to ?? null, styleControl, intervals.method, intervals.clustered]);
}

/** The view as one canonical string (defaults filled in, keys in one order): its room and cache key. */
export function viewKey(view: StandingsQuery, defaultMinVotes: number, intervals?: IntervalChoice): string {
  const { method, category, votes, from, to, deprecated, styleControl } = view;
  const chosen = intervals ? [intervals.method, intervals.clustered] : [view.ci ?? null, view.clustered ?? null];
  return JSON.stringify([method, category, votes, from ?? null, to ?? null, view.minVotes ?? defaultMinVotes, deprecated, styleControl, ...chosen]);
}

export class StandingsViews {
  readonly #deps: ViewServiceDeps;
  readonly #fits = new Map<string, FitState>();
  #closed = false;

  constructor(deps: ViewServiceDeps) {
    this.#deps = deps;
  }

  /** The room a socket joins to follow a view. */
  roomOf(view: StandingsQuery): string {
    return `standings:${viewKey(view, this.#deps.minVotes, intervalsOf(view, this.#deps.intervals))}`;
  }

  /** Pushes of this view go to its room from now on. */
  watch(view: StandingsQuery): string {
    const room = this.roomOf(view);
    this.#stateOf(view).rooms.set(room, view);
    return room;
  }

  /** The view's standings: the latest fit (waiting only for the first one). */
  async standings(view: StandingsQuery): Promise<Standings> {
    const state = this.#stateOf(view);
    if (!state.result) {
      if (!state.running) this.#schedule(state, 0);
      while (!state.result && state.running) await state.running;
      if (!state.result) throw new AppError('unavailable', 'these standings could not be computed; see the server log');
    } else if (this.#isStale(state)) {
      this.#schedule(state);
    }
    return this.#build(state, view);
  }

  /** A vote was committed: the views it belongs to are stale, and the watched ones refit. */
  votesFiled(vote: FiledVoteFacts): void {
    for (const state of this.#fits.values()) {
      if (!filterHolds(state.filter, vote)) continue;
      state.changes++;
      if (this.#watched(state)) this.#schedule(state);
    }
  }

  /** Many votes changed at once (the categories backfill): everything is stale. */
  allChanged(): void {
    for (const state of this.#fits.values()) {
      state.changes++;
      if (this.#watched(state)) this.#schedule(state);
    }
  }

  /** Names, tags or the deprecated switch changed: watchers get the same fits presented again. */
  modelsChanged(): void {
    for (const state of this.#fits.values()) this.#push(state);
  }

  /** Resolves once no fit is running or scheduled (tests). */
  async idle(): Promise<void> {
    for (;;) {
      const running = [...this.#fits.values()].flatMap((s) => (s.running ? [s.running] : []));
      if (running.length === 0) return;
      await Promise.all(running);
    }
  }

  close(): void {
    this.#closed = true;
    for (const state of this.#fits.values()) state.cancel?.();
  }

  #stateOf(view: StandingsQuery): FitState {
    const intervals = intervalsOf(view, this.#deps.intervals);
    const key = fitKey(view, intervals);
    let state = this.#fits.get(key);
    if (!state) {
      this.#evict();
      const filter: VoteFilter = { category: view.category, votes: view.votes, ...timeBounds(view.from, view.to) };
      state = {
        filter,
        method: view.method,
        intervals,
        styleControl: view.styleControl === '1',
        result: null,
        previous: null,
        changes: 0,
        dispatched: 0,
        running: null,
        cancel: null,
        lastEnd: -Infinity,
        rooms: new Map(),
        usedAt: 0,
      };
      this.#fits.set(key, state);
    }
    state.usedAt = performance.now();
    return state;
  }

  #evict(): void {
    if (this.#fits.size < MAX_FITS) return;
    const idle = [...this.#fits].filter(([, s]) => !s.running && !this.#watched(s)).sort((x, y) => x[1].usedAt - y[1].usedAt);
    if (idle[0]) this.#fits.delete(idle[0][0]);
  }

  #isStale(state: FitState): boolean {
    return !state.result || state.result.mark < state.changes;
  }

  #watched(state: FitState): boolean {
    return [...state.rooms.keys()].some((room) => this.#deps.audience(room) > 0);
  }

  #schedule(state: FitState, delay?: number): void {
    if (this.#closed || state.running) return;
    const wait = delay ?? Math.max(0, state.lastEnd + this.#deps.minIntervalMs - Date.now());
    state.running = new Promise<void>((resolve) => {
      const timer = setTimeout(() => void this.#fit(state).finally(resolve), wait);
      state.cancel = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      state.running = null;
      state.cancel = null;
      // Votes that came during the fit; a failed fit is retried on the next vote or request, not in a loop.
      if (!this.#closed && state.changes > state.dispatched && this.#watched(state)) this.#schedule(state);
    });
  }

  async #fit(state: FitState): Promise<void> {
    const mark = state.changes;
    state.dispatched = mark;
    const { eloK, bootstrap = 100, seed = 1, dedupTopShare } = this.#deps;
    const { filter, method, intervals, styleControl } = state;
    try {
      const fit = await this.#deps.run({ kind: 'view', filter, method, bootstrap, seed, eloK, intervals, dedupTopShare, styleControl });
      if (this.#closed) return;
      if (state.result && state.result.mark < mark) state.previous = state.result.fit;
      state.result = { fit, computedAt: this.#deps.now(), mark };
      this.#push(state);
    } catch (error) {
      if (!this.#closed) this.#deps.onError(error as Error);
    } finally {
      state.lastEnd = Date.now();
    }
  }

  #push(state: FitState): void {
    if (!state.result) return;
    for (const [room, view] of state.rooms) {
      if (this.#deps.audience(room) === 0) state.rooms.delete(room);
      else this.#deps.emit(room, this.#build(state, view));
    }
  }

  #build(state: FitState, view: StandingsQuery): Standings {
    const { fit, computedAt } = state.result!;
    const minVotes = view.minVotes ?? this.#deps.minVotes;
    // The standings echo the view; `intervals` says how they were computed.
    const { ci: _ci, clustered: _clustered, ...shown } = view;
    return buildStandings(
      { fit, previous: state.previous, view: shown, minVotes, computedAt: new Date(computedAt).toISOString(), stale: this.#isStale(state) },
      this.#deps.lookups,
    );
  }
}
