/**
 * Model requests in flight, by the id of what they answer (a battle, a chat): cut one or all and
 * wait until what they wrote is stored, count a person's running ones for their limit, and abort
 * one that no page watches any more after a grace period (a page that comes back in time keeps it).
 * The arena's turn runner and the direct chat's runner both build on it.
 */
import { ProviderError } from './types.ts';

export interface LiveRequest {
  voterId: string;
  controller: AbortController;
  /** Settles once the request's result is stored, whatever ended it. */
  done: Promise<void>;
  abandonTimer: NodeJS.Timeout | null;
}

export class LiveRequests<T extends LiveRequest> {
  readonly #live = new Map<string, T>();
  readonly #graceMs: number;
  /** What a request answers, in the abort reason ("no page was watching the battle"). */
  readonly #what: string;

  constructor(what: string, graceMs = 15_000) {
    this.#what = what;
    this.#graceMs = graceMs;
  }

  live(id: string): T | undefined {
    return this.#live.get(id);
  }

  /** Requests running for this person; one being cut short no longer counts against the limit. */
  streamingFor(voterId: string): number {
    let n = 0;
    for (const live of this.#live.values()) if (live.voterId === voterId && !live.controller.signal.aborted) n++;
    return n;
  }

  /** Cuts the running request of `id` short for `reason` and waits until its result is stored. */
  async cut(id: string, reason: ProviderError): Promise<void> {
    const live = this.#live.get(id);
    if (!live) return;
    live.controller.abort(reason);
    await live.done;
  }

  /** Cuts every running request (the server is shutting down) and waits until each is stored. */
  async cutAll(reason: ProviderError): Promise<void> {
    const running = [...this.#live.values()];
    for (const live of running) live.controller.abort(reason);
    await Promise.all(running.map((l) => l.done));
  }

  /**
   * Waits until every running request has ended by itself, or `timeoutMs` passed (the server is
   * draining: nothing new starts meanwhile). True when none is left running.
   */
  async settled(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.#live.size > 0) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, left);
      });
      await Promise.race([Promise.all([...this.#live.values()].map((l) => l.done)), timeout]);
      clearTimeout(timer);
    }
    return true;
  }

  /** No page is watching `id` any more: abort its request unless one comes back soon. */
  detach(id: string): void {
    const live = this.#live.get(id);
    if (!live || live.abandonTimer) return;
    live.abandonTimer = setTimeout(() => live.controller.abort(new ProviderError('aborted', `no page was watching the ${this.#what}`)), this.#graceMs);
    live.abandonTimer.unref();
  }

  attach(id: string): void {
    const live = this.#live.get(id);
    if (live?.abandonTimer) {
      clearTimeout(live.abandonTimer);
      live.abandonTimer = null;
    }
  }

  protected track(id: string, live: T): void {
    this.#live.set(id, live);
  }

  /** Forgets a finished request (and its abandon timer). */
  protected untrack(id: string): void {
    const live = this.#live.get(id);
    if (live?.abandonTimer) clearTimeout(live.abandonTimer);
    this.#live.delete(id);
  }
}
