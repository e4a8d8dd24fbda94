/** A battle's permanent page (`#/battles/<id>`): the battle with both conversations, or why it is not shown. */
import type { BattleDetail } from '../../../protocol/standings.ts';
import { api } from './http.ts';
import { RecordState } from './record-state.svelte.ts';

export class BattleRecordState extends RecordState<BattleDetail> {
  get battle(): BattleDetail | null {
    return this.record;
  }

  load(id: string): Promise<void> {
    return this.fetchRecord(async () => (await api('GET /api/battles/:id', { params: { id } })).battle);
  }
}
