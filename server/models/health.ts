/**
 * Which models are in an outage right now, from how their answers end (in memory: an outage is
 * transient, and a restart gives every model a fresh start). A model whose last `failures`
 * answers all failed by its own fault (connection, HTTP error, rate limit, timeout, broken stream;
 * never a cut by the arena) is in an outage until `cooldownMs` after its latest failure; then it is
 * drawn again, and one success ends the outage.
 */
export interface HealthOptions {
  failures: number;
  cooldownMs: number;
  now: () => number;
}

export class ModelHealth {
  readonly #opts: HealthOptions;
  readonly #state = new Map<string, { failures: number; lastFailureAt: number }>();

  constructor(opts: HealthOptions) {
    this.#opts = opts;
  }

  /** An answer of the model ended: `ok`, or `failed` by the model's own fault. */
  record(modelId: string, outcome: 'ok' | 'failed'): void {
    if (outcome === 'ok') {
      this.#state.delete(modelId);
      return;
    }
    const state = this.#state.get(modelId) ?? { failures: 0, lastFailureAt: 0 };
    this.#state.set(modelId, { failures: state.failures + 1, lastFailureAt: this.#opts.now() });
  }

  inOutage(modelId: string): boolean {
    const state = this.#state.get(modelId);
    return state !== undefined && state.failures >= this.#opts.failures && this.#opts.now() - state.lastFailureAt < this.#opts.cooldownMs;
  }

  /** The models in an outage now. */
  outages(): string[] {
    return [...this.#state.keys()].filter((id) => this.inOutage(id));
  }
}
