/** Published snapshots in PostgreSQL (db/pg/schema-snapshots.ts): the SnapshotStore of store.ts. */
import { desc, eq, getTableColumns } from 'drizzle-orm';
import type { PgDb } from '../../db/pg/client.ts';
import { snapshots } from '../../db/pg/schema-snapshots.ts';
import type { Snapshot } from '../../protocol/standings.ts';
import { rowOf, type SnapshotStore, type SnapshotSummary, snapshotOf, summaryOf } from './store.ts';

export class PgSnapshotRepo implements SnapshotStore {
  readonly #db: PgDb;

  constructor(db: PgDb) {
    this.#db = db;
  }

  async insert(s: Snapshot): Promise<void> {
    await this.#db.insert(snapshots).values(rowOf(s));
  }

  async get(id: string): Promise<Snapshot | undefined> {
    const [row] = await this.#db.select().from(snapshots).where(eq(snapshots.id, id));
    return row && snapshotOf(row);
  }

  async list(): Promise<SnapshotSummary[]> {
    const { standings: _omitted, ...columns } = getTableColumns(snapshots);
    const rows = await this.#db.select(columns).from(snapshots).orderBy(desc(snapshots.createdAt));
    return rows.map(summaryOf);
  }
}
