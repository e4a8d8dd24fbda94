/** Whether the page's socket is connected, for a "reconnecting" notice. */
import { getSocket } from './socket.ts';

class ConnectionState {
  connected = $state(true);
  /** False until the first connection, so the notice never flashes while the page loads. */
  everConnected = $state(false);
  /** The server said it is shutting down (a restart or deploy): the page reconnects by itself. */
  restarting = $state(false);

  constructor() {
    const socket = getSocket();
    socket.on('connect', () => {
      this.connected = true;
      this.everConnected = true;
      this.restarting = false;
    });
    socket.on('disconnect', () => (this.connected = false));
    socket.on('server:restarting', () => (this.restarting = true));
  }
}

export const connection = new ConnectionState();
