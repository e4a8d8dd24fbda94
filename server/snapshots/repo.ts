/** Published snapshots in SQLite (the `snapshots` table): the SnapshotStore of store.ts. */
import { desc, eq, getTableColumns } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { snapshots } from '../../db/schema-snapshots.ts';
import type { Snapshot } from '../../protocol/standings.ts';
import { rowOf, type SnapshotStore, type SnapshotSummary, snapshotOf, summaryOf } from './store.ts';

export class SnapshotRepo implements SnapshotStore {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async insert(s: Snapshot): Promise<void> {
    this.#db.insert(snapshots).values(rowOf(s)).run();
  }

  async get(id: string): Promise<Snapshot | undefined> {
    const row = this.#db.select().from(snapshots).where(eq(snapshots.id, id)).get();
    return row && snapshotOf(row);
  }

  async list(): Promise<SnapshotSummary[]> {
    const { standings: _omitted, ...columns } = getTableColumns(snapshots);
    return this.#db.select(columns).from(snapshots).orderBy(desc(snapshots.createdAt)).all().map(summaryOf);
  }
}
