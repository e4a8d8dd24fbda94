/** The model page (`#/models/<id>`): its profile as the asker may see it (their own recent battles; admins all). */
import type { ModelProfile } from '../../../protocol/standings.ts';
import { api } from './http.ts';
import { RecordState } from './record-state.svelte.ts';

export class ModelProfileState extends RecordState<ModelProfile> {
  get profile(): ModelProfile | null {
    return this.record;
  }

  load(id: string): Promise<void> {
    return this.fetchRecord(async () => (await api('GET /api/models/:id/profile', { params: { id } })).profile);
  }
}
