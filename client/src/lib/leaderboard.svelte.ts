/**
 * Live standings: subscribe once, then follow `leaderboard:update` (online Elo) and
 * `leaderboard:bt` (Bradley-Terry, recomputed on the server at most every 2 s).
 */
import type { ServerToClientEvents } from '../../../protocol/events.ts';
import type { BtLeaderboard, Leaderboard } from '../../../protocol/types.ts';
import { ApiError, api } from './http.ts';
import { type ArenaSocket, isError } from './socket.ts';

export type LeaderboardView = 'elo' | 'bt';

export class LeaderboardState {
  #data = $state.raw<Leaderboard | null>(null);
  #bt = $state.raw<BtLeaderboard | null>(null);
  #view = $state<LeaderboardView>('elo');
  #error = $state<string | null>(null);
  readonly #socket: ArenaSocket;
  readonly #onUpdate: ServerToClientEvents['leaderboard:update'] = ({ leaderboard }) => {
    this.#data = leaderboard;
  };
  readonly #onBt: ServerToClientEvents['leaderboard:bt'] = ({ leaderboard }) => {
    this.#bt = leaderboard;
  };
  // Subscriptions are per connection: renew after every (re)connect.
  readonly #onConnect = () => void this.#subscribe();

  constructor(socket: ArenaSocket) {
    this.#socket = socket;
    socket.on('leaderboard:update', this.#onUpdate);
    socket.on('leaderboard:bt', this.#onBt);
    socket.on('connect', this.#onConnect);
    if (socket.connected) void this.#subscribe();
  }

  /** The online Elo standings; null until the subscription's first answer. */
  get data(): Leaderboard | null {
    return this.#data;
  }
  /** The Bradley-Terry standings; null until that table is first shown. */
  get bt(): BtLeaderboard | null {
    return this.#bt;
  }
  get view(): LeaderboardView {
    return this.#view;
  }
  get error(): string | null {
    return this.#error;
  }

  /** Switches the table; the Bradley-Terry standings are fetched once, then follow the pushes. */
  show(view: LeaderboardView): void {
    this.#view = view;
    if (view === 'bt' && !this.#bt) void this.#loadBt();
  }

  close(): void {
    this.#socket.off('leaderboard:update', this.#onUpdate);
    this.#socket.off('leaderboard:bt', this.#onBt);
    this.#socket.off('connect', this.#onConnect);
    // Leave the room too: otherwise the server keeps pushing (and refitting) for a page gone.
    if (this.#socket.connected) void this.#socket.emitWithAck('leaderboard:unsubscribe', {});
  }

  async #subscribe(): Promise<void> {
    const reply = await this.#socket.emitWithAck('leaderboard:subscribe', {});
    if (isError(reply)) this.#error = reply.error.message;
    else this.#data = reply.leaderboard;
    // After a reconnect the pushes may have moved on: refresh what is on screen.
    if (this.#bt) void this.#loadBt();
  }

  async #loadBt(): Promise<void> {
    try {
      const body = await api('GET /api/leaderboard', { query: { method: 'bt' } });
      if (!('method' in body)) throw new Error('not the Bradley-Terry standings');
      // A push may have arrived meanwhile; keep whichever is newer.
      if (!this.#bt || body.computedAt >= this.#bt.computedAt) this.#bt = body;
    } catch (err) {
      this.#error = err instanceof ApiError && err.fromServer ? err.message : 'Could not load the Bradley-Terry standings.';
    }
  }
}
