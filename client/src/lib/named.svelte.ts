/** The two models a named side-by-side battle is fought between, chosen from the public model list. */
import type { ErrorBody } from '../../../protocol/errors.ts';
import type { PublicModel, Side } from '../../../protocol/types.ts';
import { ApiError, api } from './http.ts';

export class NamedPicks {
  #models = $state.raw<PublicModel[] | null>(null);
  #error = $state<ErrorBody | null>(null);
  #a = $state<string | null>(null);
  #b = $state<string | null>(null);

  /** The public (enabled) models; null while loading. */
  get models(): readonly PublicModel[] | null {
    return this.#models;
  }
  get error(): ErrorBody | null {
    return this.#error;
  }
  get a(): string | null {
    return this.#a;
  }
  get b(): string | null {
    return this.#b;
  }
  /** Both chosen, and not the same model twice. */
  get valid(): boolean {
    return this.#a !== null && this.#b !== null && this.#a !== this.#b;
  }
  /** The pair as `battle:start` takes it, when valid. */
  get pair(): { a: string; b: string } | null {
    return this.valid ? { a: this.#a!, b: this.#b! } : null;
  }

  nameOf(side: Side): string | null {
    const id = side === 'a' ? this.#a : this.#b;
    return this.#models?.find((m) => m.id === id)?.name ?? null;
  }

  /** Loads the model list; the first two models are chosen until the person picks others. */
  async load(): Promise<void> {
    try {
      const { models } = await api('GET /api/models');
      this.#models = models;
      const known = (id: string | null) => id !== null && models.some((m) => m.id === id);
      if (!known(this.#a)) this.#a = models[0]?.id ?? null;
      if (!known(this.#b)) this.#b = models.find((m) => m.id !== this.#a)?.id ?? null;
    } catch (err) {
      this.#error = err instanceof ApiError ? err.body : { code: 'internal', message: String(err) };
    }
  }

  choose(side: Side, id: string): void {
    if (side === 'a') this.#a = id;
    else this.#b = id;
  }
}
