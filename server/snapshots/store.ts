/**
 * Where published snapshots are kept: one interface with a SQLite (repo.ts) and a PostgreSQL
 * (pg-repo.ts) implementation, so the service never knows which database is underneath. A
 * snapshot is written once and read by its id.
 */
import type { Snapshot, Standings, StandingsView } from '../../protocol/standings.ts';

export type SnapshotSummary = Omit<Snapshot, 'standings'>;

export interface SnapshotStore {
  insert(snapshot: Snapshot): Promise<void>;
  get(id: string): Promise<Snapshot | undefined>;
  /** Newest first, without the standings themselves. */
  list(): Promise<SnapshotSummary[]>;
}

/** A stored row, as both dialects read it. */
export interface SnapshotRow {
  id: string;
  name: string;
  createdBy: number | null;
  view: unknown;
  softwareVersion: string;
  votesHash: string;
  votes: number;
  bootstrapRounds: number | null;
  bootstrapSeed: number | null;
  eloK: number;
  createdAt: Date;
}

export function rowOf(s: Snapshot) {
  return {
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
  };
}

export function summaryOf(row: SnapshotRow): SnapshotSummary {
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

export function snapshotOf(row: SnapshotRow & { standings: unknown }): Snapshot {
  return { ...summaryOf(row), standings: row.standings as Standings };
}
