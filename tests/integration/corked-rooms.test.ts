import type { Socket as NetSocket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { BattleDelta } from '../../protocol/events.ts';
import { CorkedRooms } from '../../server/transport/corked-rooms.ts';
import { type TestServer, useTestServer } from '../support/test-server.ts';

const startServer = useTestServer();

function delta(text: string): BattleDelta {
  return { battleId: 'b1', turn: 1, side: text.startsWith('a') ? 'a' : 'b', text };
}

/** A server whose clients all join `room-1`, one client on WebSocket, and that client's TCP socket on the server. */
async function roomWithClient(): Promise<{
  server: TestServer;
  received: string[];
  arrived: (n: number) => Promise<void>;
  tcp: NetSocket;
  writes: () => number;
}> {
  const server = await startServer({
    beforeListen: (app) => {
      app.io.on('connection', (socket) => void socket.join('room-1'));
    },
  });
  const client = await server.connect({ transports: ['websocket'] });
  const received: string[] = [];
  const waiters: Array<() => void> = [];
  client.on('battle:delta', (d) => {
    received.push(d.text);
    for (const w of waiters.splice(0)) w();
  });
  const arrived = async (n: number) => {
    while (received.length < n) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  const [serverSocket] = await server.app.io.fetchSockets();
  const tcp = (serverSocket as unknown as { conn: { transport: { socket: { _socket: NetSocket } } } }).conn.transport.socket._socket;
  // Every write that reaches the kernel goes through _writev (several buffers) or _write (one).
  let writes = 0;
  const internals = tcp as unknown as Record<'_writev' | '_write', (...args: unknown[]) => unknown>;
  for (const name of ['_writev', '_write'] as const) {
    const original = internals[name].bind(tcp);
    internals[name] = (...args: unknown[]) => {
      writes++;
      return original(...args);
    };
  }
  return { server, received, arrived, tcp, writes: () => writes };
}

describe('corked rooms', () => {
  it('writes everything a client is sent in a batch at its end, in one write and in order', async () => {
    const { server, received, arrived, writes } = await roomWithClient();
    const rooms = new CorkedRooms(server.app.io);
    const before = writes();
    rooms.batch(() => {
      rooms.emit('room-1', 'battle:delta', delta('a1'));
      rooms.emit('room-1', 'battle:delta', delta('b1'));
      rooms.batch(() => rooms.emit('room-1', 'battle:delta', delta('a2')));
      expect(writes()).toBe(before);
    });
    expect(writes()).toBe(before + 1);
    await arrived(3);
    // Outside a batch an emit is written at once, as socket.io does.
    rooms.emit('room-1', 'battle:delta', delta('b2'));
    await arrived(4);
    expect(received).toEqual(['a1', 'b1', 'a2', 'b2']);
  });

  it('still writes what was held when an emit in the batch throws', async () => {
    const { server, received, arrived, tcp } = await roomWithClient();
    const rooms = new CorkedRooms(server.app.io);
    expect(() =>
      rooms.batch(() => {
        rooms.emit('room-1', 'battle:delta', delta('a1'));
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(tcp.writableCorked).toBe(0);
    await arrived(1);
    rooms.emit('room-1', 'battle:delta', delta('b1'));
    await arrived(2);
    expect(received).toEqual(['a1', 'b1']);
  });
});
