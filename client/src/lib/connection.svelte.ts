/** Whether the page's socket is connected, for a "reconnecting" notice. */
import { getSocket } from './socket.ts';

class ConnectionState {
  connected = $state(true);
  /** False until the first connection, so the notice never flashes while the page loads. */
  everConnected = $state(false);

  constructor() {
    const socket = getSocket();
    socket.on('connect', () => {
      this.connected = true;
      this.everConnected = true;
    });
    socket.on('disconnect', () => (this.connected = false));
  }
}

export const connection = new ConnectionState();
