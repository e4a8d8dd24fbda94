import type { Socket as NetSocket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { BattleDelta } from '../../protocol/events.ts';
import { CorkedRooms } from '../../server/transport/corked-rooms.ts';
import { useTestServer } from '../support/test-server.ts';

const startServer = useTestServer();

function delta(text: string): BattleDelta {
  return { battleId: 'b1', turn: 1, side: text.startsWith('a') ? 'a' : 'b', text };
}

describe('corked rooms', () => {
  it('holds a batch of emits to a client in its TCP socket until the batch ends, then delivers them in order', async () => {
    const server = await startServer({
      beforeListen: (app) => {
        app.io.on('connection', (socket) => void socket.join('room-1'));
      },
    });
    const client = await server.connect({ transports: ['websocket'] });
    const rooms = new CorkedRooms(server.app.io);
    const received: string[] = [];
    const all = new Promise<void>((resolve) =>
      client.on('battle:delta', (d) => {
        received.push(d.text);
        if (received.length === 4) resolve();
      }),
    );
    const [serverSocket] = await server.app.io.fetchSockets();
    const tcp = (serverSocket as unknown as { conn: { transport: { socket: { _socket: NetSocket } } } }).conn.transport.socket._socket;

    const corkedDuring: number[] = [];
    rooms.batch(() => {
      rooms.emit('room-1', 'battle:delta', delta('a1'));
      corkedDuring.push(tcp.writableCorked);
      rooms.emit('room-1', 'battle:delta', delta('b1'));
      rooms.batch(() => rooms.emit('room-1', 'battle:delta', delta('a2')));
      corkedDuring.push(tcp.writableCorked);
    });
    expect(corkedDuring).toEqual([1, 1]);
    expect(tcp.writableCorked).toBe(0);
    rooms.emit('room-1', 'battle:delta', delta('b2'));
    expect(tcp.writableCorked).toBe(0);
    await all;
    expect(received).toEqual(['a1', 'b1', 'a2', 'b2']);
  });

  it('uncorks when an emit in the batch throws', async () => {
    const server = await startServer({
      beforeListen: (app) => {
        app.io.on('connection', (socket) => void socket.join('room-1'));
      },
    });
    await server.connect({ transports: ['websocket'] });
    const rooms = new CorkedRooms(server.app.io);
    const [serverSocket] = await server.app.io.fetchSockets();
    const tcp = (serverSocket as unknown as { conn: { transport: { socket: { _socket: NetSocket } } } }).conn.transport.socket._socket;
    expect(() =>
      rooms.batch(() => {
        rooms.emit('room-1', 'battle:delta', delta('a1'));
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(tcp.writableCorked).toBe(0);
  });
});
