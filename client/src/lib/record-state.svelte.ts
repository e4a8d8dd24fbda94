/**
 * One record a page shows by the id in its link (a battle, a model's profile, a snapshot): the
 * record, or why it is not shown (a refusal the page words as such: not found, sign in, not your
 * role), or any other failure as an error body for the page to word (`i18n.error`).
 */
import type { ErrorBody } from '../../../protocol/errors.ts';
import { errorBodyOf } from './http.ts';
import { type Refusal, refusalOf } from './refusal.ts';

export class RecordState<T> {
  #record = $state.raw<T | null>(null);
  #refusal = $state<Refusal | null>(null);
  #error = $state.raw<ErrorBody | null>(null);
  #loading = $state(false);

  protected get record(): T | null {
    return this.#record;
  }
  get refusal(): Refusal | null {
    return this.#refusal;
  }
  /** Any other failure (the server unreachable, an internal error). */
  get error(): ErrorBody | null {
    return this.#error;
  }
  get loading(): boolean {
    return this.#loading;
  }

  protected async fetchRecord(fetch: () => Promise<T>): Promise<void> {
    this.#loading = true;
    try {
      this.#record = await fetch();
      this.#refusal = null;
      this.#error = null;
    } catch (err) {
      this.#record = null;
      this.#refusal = refusalOf(err);
      this.#error = this.#refusal ? null : errorBodyOf(err);
    } finally {
      this.#loading = false;
    }
  }
}
