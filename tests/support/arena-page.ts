/**
 * A battle page as the browser runs it, without the browser: one socket that always reconnects
 * (to whichever instance the proxy gives it), the page's own delivery code for prompts and votes
 * (client/src/lib/vote-delivery.ts: re-sent after `unavailable` or a dropped connection), and a
 * resume of the battle it is in after each reconnect. For the multi-instance tests' voters.
 */
import { randomUUID } from 'node:crypto';
import { io as connectClient } from 'socket.io-client';
import { deliverVote, untilServed } from '../../client/src/lib/vote-delivery.ts';
import type { BattleEnd } from '../../protocol/events.ts';
import type { BattleView, Winner } from '../../protocol/types.ts';
import type { TestSocket } from './test-server.ts';

export type BattleOutcome =
  | { kind: 'voted'; battleId: string; voteId: string; winner: Winner }
  | { kind: 'interrupted'; battleId: string; how: string }
  | { kind: 'refused'; battleId: string | null; code: string }
  | { kind: 'vote_lost'; battleId: string; voteId: string };

type EndState = Pick<BattleEnd, 'finishReason' | 'interruption'>;

export class ArenaPage {
  readonly voterId = randomUUID();
  readonly socket: TestSocket;
  /** Each battle's ends by side, as `battle:end` or a resumed view told them. */
  readonly #ends = new Map<string, Map<string, EndState>>();
  #current: string | null = null;
  #changed: () => void = () => undefined;
  #closed = false;

  constructor(url: string) {
    this.socket = connectClient(url, {
      auth: { voterId: this.voterId },
      transports: ['websocket'],
      forceNew: true,
      reconnectionDelay: 100,
      reconnectionDelayMax: 500,
    });
    this.socket.on('battle:end', (e) => this.#ended(e.battleId, e.side, e));
    this.socket.on('connect', () => void this.#resume());
    // As the page does: a refused handshake (an instance shutting down) or a server disconnect is retried too.
    const retry = () => setTimeout(() => !this.#closed && !this.socket.connected && !this.socket.active && this.socket.connect(), 200);
    this.socket.on('connect_error', retry);
    this.socket.on('disconnect', (reason) => reason === 'io server disconnect' && retry());
  }

  connected(): Promise<void> {
    return this.socket.connected ? Promise.resolve() : new Promise((resolve) => this.socket.once('connect', () => resolve()));
  }

  /** Starts a battle, waits for both answers (through reconnects), votes on it. */
  async play(prompt: string, winner: Winner, timeoutMs = 45_000): Promise<BattleOutcome> {
    const started = await untilServed(this.socket, () => this.socket.emitWithAck('battle:start', { prompt }));
    if (!started.ok) return { kind: 'refused', battleId: null, code: started.error.code };
    const { battleId } = started;
    this.#current = battleId;
    const ends = await this.#bothEnded(battleId, timeoutMs);
    const cut = [...ends.values()].find((e) => e.finishReason === 'error');
    if (cut) return { kind: 'interrupted', battleId, how: cut.interruption ?? 'model_failed' };
    const voteId = randomUUID();
    const reply = await deliverVote(this.socket, { battleId, winner, voteId });
    if (reply === null) return { kind: 'vote_lost', battleId, voteId };
    if (!reply.ok) return { kind: 'refused', battleId, code: reply.error.code };
    this.#current = null;
    return { kind: 'voted', battleId, voteId, winner };
  }

  close(): void {
    this.#closed = true;
    this.socket.disconnect();
  }

  #ended(battleId: string, side: string, end: EndState): void {
    const ends = this.#ends.get(battleId) ?? new Map<string, EndState>();
    ends.set(side, { finishReason: end.finishReason, interruption: end.interruption });
    this.#ends.set(battleId, ends);
    this.#changed();
  }

  async #bothEnded(battleId: string, timeoutMs: number): Promise<Map<string, EndState>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const ends = this.#ends.get(battleId);
      if (ends?.size === 2) return ends;
      if (Date.now() > deadline) throw new Error(`battle ${battleId} of ${this.voterId} never ended (${ends?.size ?? 0} ends)`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 250);
        this.#changed = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** After a reconnect: the battle this page is in, from whichever instance answers now. */
  async #resume(): Promise<void> {
    const battleId = this.#current;
    if (!battleId) return;
    for (let attempt = 0; attempt < 20 && this.socket.connected; attempt++) {
      const reply = await this.socket
        .timeout(5000)
        .emitWithAck('battle:resume', { battleId })
        .catch(() => null);
      if (reply?.ok) return this.#load(reply.battle);
      if (reply && reply.error.code !== 'unavailable') return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  #load(view: BattleView): void {
    const turn = view.turns[view.turns.length - 1];
    if (!turn) return;
    for (const side of ['a', 'b'] as const) {
      const answer = turn[side];
      if (answer.finishReason !== null) this.#ended(view.battleId, side, { finishReason: answer.finishReason, interruption: answer.interruption ?? undefined });
    }
  }
}
