/** Live standings: subscribe once, then follow `leaderboard:update`. */
import type { Leaderboard } from '../../../protocol/types.ts';
import { getSocket, isError, type ArenaSocket } from './socket.ts';

export class LeaderboardState {
  data = $state.raw<Leaderboard | null>(null);
  error = $state<string | null>(null);
  readonly #socket: ArenaSocket;

  constructor(socket: ArenaSocket = getSocket()) {
    this.#socket = socket;
    socket.on('leaderboard:update', ({ leaderboard }) => {
      this.data = leaderboard;
    });
    // Subscriptions are per connection: renew after every (re)connect.
    socket.on('connect', () => void this.#subscribe());
    if (socket.connected) void this.#subscribe();
  }

  async #subscribe(): Promise<void> {
    const reply = await this.#socket.emitWithAck('leaderboard:subscribe', {});
    if (isError(reply)) this.error = reply.error.message;
    else this.data = reply.leaderboard;
  }
}
