/** Whether the page's socket is connected, for a "reconnecting" notice. */
import type { ArenaSocket } from './socket.ts';

export class ConnectionState {
  #connected = $state(true);
  #everConnected = $state(false);
  #restarting = $state(false);

  constructor(socket: Pick<ArenaSocket, 'on'>) {
    socket.on('connect', () => {
      this.#connected = true;
      this.#everConnected = true;
      this.#restarting = false;
    });
    socket.on('disconnect', () => (this.#connected = false));
    socket.on('server:restarting', () => (this.#restarting = true));
  }

  get connected(): boolean {
    return this.#connected;
  }
  /** False until the first connection, so the notice never flashes while the page loads. */
  get everConnected(): boolean {
    return this.#everConnected;
  }
  /** The server said it is shutting down (a restart or deploy): the page reconnects by itself. */
  get restarting(): boolean {
    return this.#restarting;
  }
}
