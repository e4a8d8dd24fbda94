/** Real socket.io clients over loopback (WebSocket transport only, as browsers end up using). */
import { io as connectClient, type Socket } from 'socket.io-client';
import type { BattleEnd, ClientToServerEvents, ServerToClientEvents } from '../../protocol/events.ts';
import type { Leaderboard } from '../../protocol/types.ts';

export type BenchSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const CONNECT_TIMEOUT_MS = 20_000;
const ACK_TIMEOUT_MS = 20_000;

/** A valid per-browser id (8–64 of `A-Z a-z 0-9 _ -`); the server stores it as `anon:<id>`. */
export function voterIdFor(prefix: string, index: number): string {
  return `${prefix}-${String(index).padStart(6, '0')}`;
}

export function connect(url: string, voterId?: string): Promise<BenchSocket> {
  const socket: BenchSocket = connectClient(url, {
    auth: voterId ? { voterId } : {},
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: CONNECT_TIMEOUT_MS,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

/** Opens `count` clients, `batch` handshakes at a time, so thousands don't stampede the server. */
export async function connectMany(url: string, count: number, opts: { batch?: number; voterId?: (index: number) => string } = {}): Promise<BenchSocket[]> {
  const batch = opts.batch ?? 100;
  const sockets: BenchSocket[] = [];
  try {
    for (let i = 0; i < count; i += batch) {
      const size = Math.min(batch, count - i);
      const opened = await Promise.all(Array.from({ length: size }, (_, j) => connect(url, opts.voterId?.(i + j))));
      sockets.push(...opened);
    }
  } catch (err) {
    closeAll(sockets);
    throw err;
  }
  return sockets;
}

export function closeAll(sockets: Iterable<BenchSocket>): void {
  for (const socket of sockets) socket.close();
}

type Ok<E extends keyof ClientToServerEvents> = Extract<Parameters<Parameters<ClientToServerEvents[E]>[1]>[0], { ok: true }>;

/** Emits with an ack and returns the success reply; an error reply or a lost ack throws. */
export async function request<E extends keyof ClientToServerEvents>(
  socket: BenchSocket,
  event: E,
  payload: Parameters<ClientToServerEvents[E]>[0],
): Promise<Ok<E>> {
  // socket.io's typings cannot follow a generic event name through emitWithAck.
  const timed = socket.timeout(ACK_TIMEOUT_MS) as unknown as { emitWithAck(event: string, payload: unknown): Promise<unknown> };
  const reply = (await timed.emitWithAck(event, payload)) as Ok<E> | { ok: false; error: { code: string; message: string } };
  if (!reply.ok) throw new Error(`${event} failed: ${reply.error.code}: ${reply.error.message}`);
  return reply;
}

/** Subscribes and keeps the latest leaderboard each client has been sent. */
export class LeaderboardWatch {
  readonly #latest = new Map<BenchSocket, Leaderboard>();
  updates = 0;

  async subscribe(sockets: BenchSocket[], batch = 200): Promise<void> {
    for (let i = 0; i < sockets.length; i += batch) {
      await Promise.all(
        sockets.slice(i, i + batch).map(async (socket) => {
          socket.on('leaderboard:update', ({ leaderboard }) => {
            this.updates++;
            this.#latest.set(socket, leaderboard);
          });
          const reply = await request(socket, 'leaderboard:subscribe', {});
          if (!this.#latest.has(socket)) this.#latest.set(socket, reply.leaderboard);
        }),
      );
    }
  }

  /** How many clients have been sent a leaderboard with exactly `totalVotes`. */
  countAt(totalVotes: number): number {
    let n = 0;
    for (const lb of this.#latest.values()) if (lb.totalVotes === totalVotes) n++;
    return n;
  }

  /** Waits (bounded) until every subscribed client holds `totalVotes`; returns how many do. */
  async waitForTotal(totalVotes: number, timeoutMs: number): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    while (this.countAt(totalVotes) < this.#latest.size && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.countAt(totalVotes);
  }
}

/** Resolves when both sides of a battle have sent `battle:end`, even if they beat the start ack. */
export class BattleEnds {
  readonly #ends = new Map<string, number>();
  readonly #waiters = new Map<string, () => void>();
  readonly #socket: BenchSocket;
  failed = 0;

  constructor(socket: BenchSocket) {
    this.#socket = socket;
    socket.on('battle:end', this.#onEnd);
  }

  readonly #onEnd = (end: BattleEnd) => {
    if (end.finishReason === 'error') this.failed++;
    const n = (this.#ends.get(end.battleId) ?? 0) + 1;
    this.#ends.set(end.battleId, n);
    if (n === 2) this.#waiters.get(end.battleId)?.();
  };

  dispose(): void {
    this.#socket.off('battle:end', this.#onEnd);
  }

  finished(battleId: string): Promise<void> {
    const settle = () => {
      this.#ends.delete(battleId);
      this.#waiters.delete(battleId);
    };
    if (this.#ends.get(battleId) === 2) {
      settle();
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      this.#waiters.set(battleId, () => {
        settle();
        resolve();
      }),
    );
  }
}
