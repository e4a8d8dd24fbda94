/**
 * The standings of one instance among several (server/transport/cluster.ts). Every instance keeps
 * its own copy of the standings (live Elo rows, Bradley-Terry and view fits, derived caches) and
 * pushes only to its own subscribers (`io.local`): a socket is connected to one instance, so it
 * gets each frame once. The instance that commits votes tells its peers, after COMMIT, what changed
 * (both models' new rating rows, where each vote was filed), one message per commit batch; each
 * peer applies it as if the votes were its own. Votes on one model are serialized by the database
 * (the Elo update reads the current row inside the vote's transaction), so its row with more games
 * is the newer: the order messages arrive in does not matter. A message lost (Redis pub/sub keeps
 * nothing for an absent subscriber) is made up for by the resync (cluster.onResync): the ratings
 * table and the newest vote ids are re-read and compared with what this instance holds.
 */
import type { CategoryId } from '../../protocol/standings.ts';
import { type Cluster, onPeer, type ResyncReason, tellPeers } from '../transport/cluster.ts';
import type { PeerFiledVote, PeerRatingRow, PeerTells } from '../transport/peer-events.ts';
import type { ArenaServer } from '../transport/socket.ts';
import type { RatingRow } from './ratings-repo.ts';
import type { FiledVoteFacts } from './view-service.ts';
import type { VoteSource } from './vote-categories-repo.ts';

/** A filed vote with its row: the facts the views need, and which row it is (for the resync). */
export type FiledVoteRow = FiledVoteFacts & { source: VoteSource; rowId: number };

/** What the standings do with a committed vote, this instance's or a peer's. */
export interface StandingsApply {
  counted(rows: { a: RatingRow; b: RatingRow }, from: 'here' | 'peer'): void;
  filed(vote: FiledVoteRow): void;
  /** Many votes changed at once (a backfill, or a resync that found this instance behind): every fit is stale. */
  allChanged(): void;
}

/** What the standings tell their peers. */
export interface StandingsOutbox {
  counted(rows: { a: RatingRow; b: RatingRow }): void;
  filed(vote: FiledVoteRow): void;
  allChanged(): void;
}

const toPeerRow = (row: RatingRow): PeerRatingRow => ({ ...row, updatedAt: row.updatedAt.getTime() });
const fromPeerRow = (row: PeerRatingRow): RatingRow => ({ ...row, updatedAt: new Date(row.updatedAt) });
const fromPeerVote = (vote: PeerFiledVote): FiledVoteRow => ({ ...vote, categories: vote.categories as CategoryId[] });

/** The newest vote row of each table this instance has heard of. */
export class HeardVotes {
  #newest: Record<VoteSource, number>;

  constructor(initial: Record<VoteSource, number>) {
    this.#newest = { ...initial };
  }

  add(vote: Pick<FiledVoteRow, 'source' | 'rowId'>): void {
    this.#newest[vote.source] = Math.max(this.#newest[vote.source], vote.rowId);
  }

  /** Takes the newest stored ids; true when some were newer than anything heard of (a vote written elsewhere, unheard). */
  catchUp(stored: Record<VoteSource, number>): boolean {
    const behind = stored.arena > this.#newest.arena || stored.evaluation > this.#newest.evaluation;
    if (behind) this.#newest = { arena: Math.max(stored.arena, this.#newest.arena), evaluation: Math.max(stored.evaluation, this.#newest.evaluation) };
    return behind;
  }
}

/**
 * Joins the standings to their peers: answers their messages with `apply`, re-reads the stored
 * state on every resync, and returns the outbox (nothing is sent when the instance is alone).
 */
export function joinStandingsPeers(deps: {
  io: ArenaServer;
  cluster: Pick<Cluster, 'shared' | 'onResync'>;
  apply: StandingsApply;
  resync: (reason: ResyncReason) => void;
}): StandingsOutbox {
  const { io, cluster, apply } = deps;
  if (!cluster.shared) return { counted: () => undefined, filed: () => undefined, allChanged: () => undefined };
  onPeer(io, 'standings:votes', ({ counted, filed }) => {
    for (const rows of counted) apply.counted({ a: fromPeerRow(rows.a), b: fromPeerRow(rows.b) }, 'peer');
    for (const vote of filed) apply.filed(fromPeerVote(vote));
  });
  onPeer(io, 'standings:changed', () => apply.allChanged());
  cluster.onResync(deps.resync);

  // One message per commit batch: the batch's votes are handed over within one turn of the event loop.
  let pending: PeerTells['standings:votes'] | null = null;
  const queue = (): PeerTells['standings:votes'] => {
    if (!pending) {
      pending = { counted: [], filed: [] };
      setImmediate(() => {
        const message = pending!;
        pending = null;
        tellPeers(io, cluster, 'standings:votes', message);
      });
    }
    return pending;
  };
  return {
    counted: (rows) => void queue().counted.push({ a: toPeerRow(rows.a), b: toPeerRow(rows.b) }),
    filed: (vote) =>
      void queue().filed.push({ source: vote.source, rowId: vote.rowId, categories: [...vote.categories], visibility: vote.visibility, at: vote.at }),
    allChanged: () => tellPeers(io, cluster, 'standings:changed', {}),
  };
}
