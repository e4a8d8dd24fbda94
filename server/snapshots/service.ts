/**
 * Publishing snapshots: the votes of the view are read exactly as `arena export battles` writes
 * them, hashed, and the standings computed from them (compute.ts); the result is stored once,
 * audited, and served by its id to anyone.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/client.ts';
import { type Snapshot, snapshotCreateSchema, standingsViewSchema } from '../../protocol/standings.ts';
import { type AuditLog, actorOf } from '../auth/audit.ts';
import { exportVoteRecords } from '../interop/export-battles.ts';
import type { ModelRegistry } from '../models/registry.ts';
import { DEFAULT_BOOTSTRAP_ROUNDS, DEFAULT_SEED } from '../ratings/bootstrap.ts';
import { BOOTSTRAP_INTERVALS } from '../standings/bt-fit.ts';
import type { IntervalChoice } from '../standings/fit-methods.ts';
import { AppError } from '../transport/errors.ts';
import type { Identity } from '../transport/identity.ts';
import { parseInput } from '../transport/validation.ts';
import { canonicalVote, UnsupportedViewError, votesHash, votesOfView } from './canonical.ts';
import { computeStandings, type ModelFacts } from './compute.ts';
import type { SnapshotStore, SnapshotSummary } from './store.ts';
import { SOFTWARE_VERSION } from './version.ts';

export interface SnapshotServiceDeps {
  db: Db;
  store: SnapshotStore;
  registry: ModelRegistry;
  audit: AuditLog;
  eloK: number;
  now: () => number;
  /** The vote threshold when the view names none: the live views' (config `standings.minVotes`). */
  defaultMinVotes: number;
  /** Settles once every vote is filed under its categories (the standings' start-up backfill). */
  categorized: Promise<unknown>;
  /** The standings' interval method and prompt deduplication (config `standings`), so a snapshot has the live numbers. */
  fit?: { intervals: IntervalChoice; promptDedup: { topShare: number } } | undefined;
}

export class SnapshotService {
  readonly #deps: SnapshotServiceDeps;

  constructor(deps: SnapshotServiceDeps) {
    this.#deps = deps;
  }

  async publish(identity: Identity, body: unknown): Promise<Snapshot> {
    const input = parseInput(snapshotCreateSchema, body);
    // A decision memo wants intervals: a snapshot is Bradley-Terry unless the view says elo.
    const view = parseInput(standingsViewSchema, { method: 'bt', ...input.view });
    const resolved = { ...view, minVotes: view.minVotes ?? this.#deps.defaultMinVotes };
    // A vote older than categories is in no category until the backfill has filed it.
    if (resolved.category !== 'all') await this.#deps.categorized.catch(() => undefined);
    const records = exportVoteRecords(this.#deps.db.$client, { includeFlagged: resolved.votes === 'all' });
    let used: ReturnType<typeof votesOfView>;
    try {
      used = votesOfView(Array.from(records, canonicalVote), resolved);
    } catch (error) {
      if (!(error instanceof UnsupportedViewError)) throw error;
      throw new AppError('invalid_input', `${error.field}: ${error.message}`, { field: error.field });
    }
    // The standings' interval method, unclustered: an export carries no voters unless asked to.
    const intervals = { ...(this.#deps.fit?.intervals ?? BOOTSTRAP_INTERVALS), clustered: false };
    const bootstrap = resolved.method === 'bt' && intervals.method === 'bootstrap' ? { rounds: DEFAULT_BOOTSTRAP_ROUNDS, seed: DEFAULT_SEED } : null;
    const createdAt = new Date(this.#deps.now()).toISOString();
    const dedupTopShare = this.#deps.fit?.promptDedup.topShare ?? 0;
    const standings = computeStandings(
      used,
      { view: resolved, minVotes: resolved.minVotes, bootstrap, eloK: this.#deps.eloK, intervals, dedupTopShare },
      (id, fileName) => this.#facts(id, fileName),
      createdAt,
    );
    const snapshot: Snapshot = {
      id: randomBytes(12).toString('base64url'),
      name: input.name,
      createdAt,
      createdBy: identity.userId,
      view: resolved,
      softwareVersion: SOFTWARE_VERSION,
      votesHash: votesHash(used),
      votes: used.length,
      bootstrap,
      eloK: this.#deps.eloK,
      standings,
    };
    await this.#deps.store.insert(snapshot);
    await this.#deps.audit.record(actorOf(identity), 'snapshot.publish', snapshot.id, {
      name: snapshot.name,
      votes: snapshot.votes,
      votesHash: snapshot.votesHash,
    });
    return snapshot;
  }

  async get(id: string): Promise<Snapshot> {
    const snapshot = await this.#deps.store.get(id);
    if (!snapshot) throw new AppError('not_found', 'no such snapshot', { field: 'id' });
    return snapshot;
  }

  list(): Promise<SnapshotSummary[]> {
    return this.#deps.store.list();
  }

  #facts(id: string, fileName: string): ModelFacts {
    const m = this.#deps.registry.get(id);
    return {
      name: m?.name ?? fileName,
      demo: m?.provider === 'demo',
      organization: m?.organization ?? null,
      license: m?.license ?? null,
      deprecated: this.#deps.registry.isDeprecated(id),
    };
  }
}
