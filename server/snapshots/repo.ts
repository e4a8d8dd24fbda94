/** SQL for the `snapshots` table: a published snapshot is written once and read by its id. */
import { desc, eq, getTableColumns } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { snapshots } from '../../db/schema-snapshots.ts';
import type { Snapshot, Standings, StandingsView } from '../../protocol/standings.ts';

type Row = typeof snapshots.$inferSelect;
export type SnapshotSummary = Omit<Snapshot, 'standings'>;

function summaryOf(row: Omit<Row, 'standings'>): SnapshotSummary {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy === null ? null : String(row.createdBy),
    view: row.view as StandingsView,
    softwareVersion: row.softwareVersion,
    votesHash: row.votesHash,
    votes: row.votes,
    bootstrap: row.bootstrapRounds === null || row.bootstrapSeed === null ? null : { rounds: row.bootstrapRounds, seed: row.bootstrapSeed },
    eloK: row.eloK,
  };
}

export class SnapshotRepo {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  insert(s: Snapshot): void {
    this.#db
      .insert(snapshots)
      .values({
        id: s.id,
        name: s.name,
        createdBy: s.createdBy === null ? null : Number(s.createdBy),
        view: s.view,
        softwareVersion: s.softwareVersion,
        votesHash: s.votesHash,
        votes: s.votes,
        bootstrapRounds: s.bootstrap?.rounds ?? null,
        bootstrapSeed: s.bootstrap?.seed ?? null,
        eloK: s.eloK,
        standings: s.standings,
        createdAt: new Date(s.createdAt),
      })
      .run();
  }

  get(id: string): Snapshot | undefined {
    const row = this.#db.select().from(snapshots).where(eq(snapshots.id, id)).get();
    return row && { ...summaryOf(row), standings: row.standings as Standings };
  }

  /** Newest first, without the standings themselves. */
  list(): SnapshotSummary[] {
    const { standings: _omitted, ...columns } = getTableColumns(snapshots);
    return this.#db.select(columns).from(snapshots).orderBy(desc(snapshots.createdAt)).all().map(summaryOf);
  }
}
