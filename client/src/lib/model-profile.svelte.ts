/** The model page (`#/models/<id>`): its profile as the asker may see it (their own recent battles; admins all). */

import type { ErrorBody } from '../../../protocol/errors.ts';
import type { ModelProfile } from '../../../protocol/standings.ts';
import { api, errorBodyOf } from './http.ts';
import { type Refusal, refusalOf } from './refusal.ts';

export class ModelProfileState {
  #profile = $state.raw<ModelProfile | null>(null);
  #refusal = $state<Refusal | null>(null);
  #error = $state.raw<ErrorBody | null>(null);

  get profile(): ModelProfile | null {
    return this.#profile;
  }
  get refusal(): Refusal | null {
    return this.#refusal;
  }
  get error(): ErrorBody | null {
    return this.#error;
  }

  async load(id: string): Promise<void> {
    try {
      this.#profile = (await api('GET /api/models/:id/profile', { params: { id } })).profile;
      this.#refusal = null;
      this.#error = null;
    } catch (err) {
      this.#profile = null;
      this.#refusal = refusalOf(err);
      this.#error = this.#refusal ? null : errorBodyOf(err);
    }
  }
}
