/**
 * Results derived from all the votes (category counts, rating histories), computed in the worker
 * and kept per key until votes change them. Concurrent asks share one computation; a result
 * younger than `minIntervalMs` is served even when votes came since, so a busy arena does not
 * keep the worker recomputing.
 */
export class DerivedCache<T> {
  readonly #minIntervalMs: number;
  readonly #max: number;
  readonly #entries = new Map<string, { value: T | null; mark: number; at: number; running: Promise<T> | null }>();
  #changes = 0;

  constructor(opts: { minIntervalMs: number; max?: number }) {
    this.#minIntervalMs = opts.minIntervalMs;
    this.#max = opts.max ?? 100;
  }

  /** Votes changed: every result is stale. */
  changed(): void {
    this.#changes++;
  }

  async get(key: string, compute: () => Promise<T>): Promise<T> {
    let entry = this.#entries.get(key);
    if (entry?.value != null && (entry.mark === this.#changes || Date.now() - entry.at < this.#minIntervalMs)) return entry.value;
    if (entry?.running) return entry.running;
    if (!entry) {
      if (this.#entries.size >= this.#max) this.#entries.delete(this.#entries.keys().next().value!);
      entry = { value: null, mark: -1, at: 0, running: null };
      this.#entries.set(key, entry);
    }
    const mark = this.#changes;
    const slot = entry;
    slot.running = compute()
      .then((value) => {
        Object.assign(slot, { value, mark, at: Date.now() });
        return value;
      })
      .finally(() => {
        slot.running = null;
      });
    return slot.running;
  }
}
