/**
 * Battles across the instances of one deployment. A battle's running turn is streamed by the
 * instance it started on (battles.instance_id); a page that reconnects to another instance resumes
 * there: that instance asks the streaming one for the battle as it is now, and the streaming one
 * counts the page as watching (no abandon grace while any page watches, on any instance) and sends
 * the battle's pieces through Redis from then on. A battle nobody elsewhere watches is streamed to
 * this instance's sockets only: its pieces are never published. Battles a dead instance left
 * streaming are failed by a survivor (server/transport/liveness.ts) and their pages told.
 */
import type { BattleDelta, BattleEnd } from '../../protocol/events.ts';
import type { BattleView, Side } from '../../protocol/types.ts';
import { askPeers, askPeersNoting, type Cluster, onPeer, tellPeers } from '../transport/cluster.ts';
import type { CorkedRooms } from '../transport/corked-rooms.ts';
import type { Reaper } from '../transport/liveness.ts';
import type { ArenaServer, ArenaSocket } from '../transport/socket.ts';
import type { BattleService } from './battle-service.ts';
import { withLater } from './battle-view.ts';
import { interruptionOf, publicErrorMessage, publicFailure } from './public-error.ts';
import type { BattleRepo } from './repo.ts';
import type { BattleEmitter, TurnRunner } from './turn-runner.ts';

export const battleRoom = (battleId: string) => `battle:${battleId}`;

export class BattlePeers {
  readonly #io: ArenaServer;
  readonly #cluster: Pick<Cluster, 'shared' | 'instanceId'>;
  readonly #repo: BattleRepo;
  /** Battles this instance streams that pages on other instances watch, and which instances. */
  readonly #remote = new Map<string, Set<string>>();
  /** Battles another instance streams that pages here resumed: it is told when the last of them leaves. */
  readonly #watchedElsewhere = new Set<string>();
  #served: { battles: BattleService; runner: TurnRunner } | null = null;

  constructor(io: ArenaServer, cluster: Pick<Cluster, 'shared' | 'instanceId'>, repo: BattleRepo) {
    this.#io = io;
    this.#cluster = cluster;
    this.#repo = repo;
  }

  /** The battle service and its runner (built with this emitter); answers the other instances from then on. */
  serve(battles: BattleService, runner: TurnRunner): void {
    this.#served = { battles, runner };
    onPeer(this.#io, 'battle:watch', ({ battleId, voterId, instanceId }) => {
      const live = this.#runner.live(battleId);
      if (!live || live.voterId !== voterId) return null;
      const watchers = this.#remote.get(battleId) ?? new Set<string>();
      watchers.add(instanceId);
      this.#remote.set(battleId, watchers);
      battles.attach(battleId);
      return { instanceId: this.#cluster.instanceId, battle: battles.view(voterId, battleId) };
    });
    onPeer(this.#io, 'battle:unwatched', ({ battleId, instanceId }) => {
      const watchers = this.#remote.get(battleId);
      watchers?.delete(instanceId);
      if (watchers?.size === 0) this.#remote.delete(battleId);
      if (this.#runner.live(battleId) && !this.#watched(battleId)) battles.detach(battleId);
    });
    onPeer(this.#io, 'battle:stop', async ({ battleId, voterId }) => {
      if (this.#runner.live(battleId)?.voterId !== voterId) return null;
      await battles.stop({ voterId, ip: '' }, battleId);
      return { instanceId: this.#cluster.instanceId };
    });
  }

  /** The runner's emitter: pieces stay on this instance unless a page elsewhere watches the battle. */
  emitter(rooms: Pick<CorkedRooms, 'emit' | 'emitHere'>): BattleEmitter {
    const room = (battleId: string) => ({ name: battleRoom(battleId), everywhere: this.#remote.has(battleId) });
    return {
      delta: (battleId, payload) => {
        const { name, everywhere } = room(battleId);
        if (everywhere) rooms.emit(name, 'battle:delta', payload);
        else rooms.emitHere(name, 'battle:delta', payload);
      },
      end: (battleId, payload) => {
        const { name, everywhere } = room(battleId);
        if (everywhere) rooms.emit(name, 'battle:end', payload);
        else rooms.emitHere(name, 'battle:end', payload);
      },
    };
  }

  /**
   * A page picks its battle up again (after a reload or a reconnect): the view is this instance's
   * own when it streams the battle or nobody does; else the streaming instance's. The page's socket
   * joins the battle's room before the view is taken (no piece falls between them).
   */
  resume(voterId: string, battleId: string, socket: Pick<ArenaSocket, 'join' | 'onAnyOutgoing' | 'offAnyOutgoing'>): BattleView | Promise<BattleView> {
    const battles = this.#service();
    const view = battles.view(voterId, battleId);
    void socket.join(battleRoom(battleId));
    if (view.status !== 'streaming' || this.#runner.live(battleId) || !this.#cluster.shared) {
      battles.attach(battleId);
      return view;
    }
    // The streaming instance's pieces after its view reach the page before this answer does (they
    // follow it on Redis): they are folded into the view, which the page loads in place of its own.
    const ask = { battleId, voterId, instanceId: this.#cluster.instanceId };
    const note = (event: string, payload: unknown) => {
      const piece = payload as BattleDelta | BattleEnd | undefined;
      if (piece?.battleId !== battleId) return null;
      if (event === 'battle:delta') return { delta: piece as BattleDelta };
      return event === 'battle:end' ? { end: piece as BattleEnd } : null;
    };
    return askPeersNoting(this.#io, this.#cluster, 'battle:watch', ask, socket, note).then(({ answers, later }) => {
      const remote = answers.find((a) => a !== null)?.battle;
      if (!remote) return view;
      this.#watchedElsewhere.add(battleId);
      return withLater(remote, later);
    });
  }

  /** Stop on a battle another instance streams: that instance cuts it; this one then records the outcome. */
  async stop(voterId: string, battleId: string): Promise<void> {
    const battles = this.#service();
    if (this.#cluster.shared && !this.#runner.live(battleId) && this.#repo.getBattle(battleId)?.status === 'streaming') {
      battles.view(voterId, battleId); // ownership, before anyone else is asked
      await askPeers(this.#io, this.#cluster, 'battle:stop', { battleId, voterId });
    }
    await battles.stop({ voterId, ip: '' }, battleId);
  }

  /** The last socket of this instance in the battle's room left (called once it is out of the room). */
  left(battleId: string): void {
    if (this.#runner.live(battleId)) {
      if (!this.#watched(battleId)) this.#service().detach(battleId);
    } else if (this.#watchedElsewhere.delete(battleId)) {
      tellPeers(this.#io, this.#cluster, 'battle:unwatched', { battleId, instanceId: this.#cluster.instanceId });
    }
  }

  /** Fails the battles dead instances left streaming and tells each page which answers were cut. */
  reaper(): Reaper {
    return {
      holders: () => this.#repo.streamingInstances(),
      reap: (dead) => {
        const failed = this.#repo.failStreamingOf(dead);
        if (failed.length > 0) console.warn(`instances ${dead.join(', ')} stopped: ${failed.length} streaming battles failed`);
        for (const { battleId, turn, unanswered } of failed) {
          for (const side of unanswered) this.#io.to(battleRoom(battleId)).emit('battle:end', interrupted(battleId, turn, side));
        }
      },
    };
  }

  /** Forgets the watchers of turns that ended (periodically). */
  sweep(): void {
    for (const battleId of this.#remote.keys()) if (!this.#runner.live(battleId)) this.#remote.delete(battleId);
  }

  #watched(battleId: string): boolean {
    return (this.#io.sockets.adapter.rooms.get(battleRoom(battleId))?.size ?? 0) > 0 || (this.#remote.get(battleId)?.size ?? 0) > 0;
  }

  #service(): BattleService {
    if (!this.#served) throw new Error('BattlePeers: serve() first');
    return this.#served.battles;
  }

  get #runner(): Pick<TurnRunner, 'live'> {
    return this.#served?.runner ?? { live: () => undefined };
  }
}

/** What the page of a battle a dead instance streamed is told of each answer that never ended. */
function interrupted(battleId: string, turn: number, side: Side): BattleEnd {
  const end: BattleEnd = { battleId, turn, side, finishReason: 'error', error: publicErrorMessage({ kind: 'interrupted', message: '' }) };
  end.failure = publicFailure('interrupted');
  const interruption = interruptionOf('interrupted');
  if (interruption) end.interruption = interruption;
  return end;
}
