/** A battle's permanent page (`#/battles/<id>`): the battle with both conversations, or why it is not shown. */

import type { ErrorBody } from '../../../protocol/errors.ts';
import type { BattleDetail } from '../../../protocol/standings.ts';
import { api, errorBodyOf } from './http.ts';
import { type Refusal, refusalOf } from './refusal.ts';

export class BattleRecordState {
  #battle = $state.raw<BattleDetail | null>(null);
  #refusal = $state<Refusal | null>(null);
  #error = $state.raw<ErrorBody | null>(null);
  #loading = $state(false);

  get battle(): BattleDetail | null {
    return this.#battle;
  }
  get refusal(): Refusal | null {
    return this.#refusal;
  }
  /** Any other failure (the server unreachable, an internal error), for the page to word (`i18n.error`). */
  get error(): ErrorBody | null {
    return this.#error;
  }
  get loading(): boolean {
    return this.#loading;
  }

  async load(id: string): Promise<void> {
    this.#loading = true;
    try {
      this.#battle = (await api('GET /api/battles/:id', { params: { id } })).battle;
      this.#refusal = null;
      this.#error = null;
    } catch (err) {
      this.#battle = null;
      this.#refusal = refusalOf(err);
      this.#error = this.#refusal ? null : errorBodyOf(err);
    } finally {
      this.#loading = false;
    }
  }
}
