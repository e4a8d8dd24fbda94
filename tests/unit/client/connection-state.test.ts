import { describe, expect, it } from 'vitest';
import { ConnectionState } from '../../../client/src/lib/connection.svelte.ts';
import { FakeSocket } from './fake-socket.ts';

describe('ConnectionState', () => {
  it('reports a lost connection only after a first one, and a restart until the next connection', () => {
    const socket = new FakeSocket();
    const connection = new ConnectionState(socket.asSocket());
    expect(connection.everConnected).toBe(false);
    socket.reconnect();
    expect([connection.connected, connection.everConnected]).toEqual([true, true]);
    socket.push('server:restarting', { retryAfterMs: 1000 });
    socket.drop();
    expect([connection.connected, connection.restarting]).toEqual([false, true]);
    socket.reconnect();
    expect([connection.connected, connection.restarting]).toEqual([true, false]);
  });
});
