/** State of the battle on screen: turns streaming in, the vote, the reveal. */
import type { BattleDelta, BattleEnd } from '../../../protocol/events.ts';
import type { BattleView, FinishReason, RevealedModels, Side, Winner } from '../../../protocol/types.ts';
import { getSocket, isError, type ArenaSocket } from './socket.ts';

export interface AnswerState {
  text: string;
  reasoning: string;
  reasoningMs: number | null;
  finishReason: FinishReason | null;
  error: string | null;
}

export interface TurnState {
  turn: number;
  prompt: string;
  a: AnswerState;
  b: AnswerState;
}

const CURRENT_KEY = 'arena.currentBattle';
const PENDING_KEY = 'arena.pendingVote';

interface PendingVote {
  battleId: string;
  winner: Winner;
  voteId: string;
}

const emptyAnswer = (): AnswerState => ({ text: '', reasoning: '', reasoningMs: null, finishReason: null, error: null });

export class BattleState {
  battleId = $state<string | null>(null);
  turns = $state<TurnState[]>([]);
  revealed = $state<RevealedModels | null>(null);
  winner = $state<Winner | null>(null);
  error = $state<string | null>(null);
  busy = $state(false);

  readonly #socket: ArenaSocket;

  readonly #listeners = {
    delta: (d: BattleDelta) => this.#onDelta(d),
    end: (e: BattleEnd) => this.#onEnd(e),
    // A new connection is not in the battle's room: pick the battle up again (missed pieces too).
    reconnect: () => {
      if (this.battleId && !this.revealed) void this.resume();
    },
  };

  constructor(socket: ArenaSocket = getSocket()) {
    this.#socket = socket;
    socket.on('battle:delta', this.#listeners.delta);
    socket.on('battle:end', this.#listeners.end);
    socket.on('connect', this.#listeners.reconnect);
  }

  /** Stops listening (the page is leaving); the shared socket stays open. */
  destroy(): void {
    this.#socket.off('battle:delta', this.#listeners.delta);
    this.#socket.off('battle:end', this.#listeners.end);
    this.#socket.off('connect', this.#listeners.reconnect);
  }

  get current(): TurnState | undefined {
    return this.turns[this.turns.length - 1];
  }

  /** Both answers of the last turn have ended. */
  get finished(): boolean {
    const t = this.current;
    return !!t && t.a.finishReason !== null && t.b.finishReason !== null;
  }

  get failed(): boolean {
    return this.turns.some((t) => t.a.finishReason === 'error' || t.b.finishReason === 'error');
  }

  get canVote(): boolean {
    return this.finished && !this.failed && !this.revealed && !this.busy;
  }

  get canPrompt(): boolean {
    return !this.busy && !this.revealed && !this.failed && (this.turns.length === 0 || this.finished);
  }

  async send(prompt: string): Promise<void> {
    if (!this.canPrompt) return;
    this.error = null;
    this.busy = true;
    const turn = this.turns.length + 1;
    this.turns.push({ turn, prompt, a: emptyAnswer(), b: emptyAnswer() });
    try {
      let reply;
      if (this.battleId) {
        reply = await this.#socket.emitWithAck('battle:continue', { battleId: this.battleId, prompt });
      } else {
        reply = await this.#socket.emitWithAck('battle:start', { prompt });
        if (reply.ok) {
          this.battleId = reply.battleId;
          sessionStorage.setItem(CURRENT_KEY, reply.battleId);
        }
      }
      if (isError(reply)) {
        this.turns.pop();
        this.error = reply.error.message;
      }
    } finally {
      this.busy = false;
    }
  }

  async vote(winner: Winner): Promise<void> {
    if (!this.canVote || !this.battleId) return;
    const pending: PendingVote = { battleId: this.battleId, winner, voteId: crypto.randomUUID() };
    // Kept until acknowledged: a reload or a dropped connection re-sends the very same vote.
    sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
    await this.#sendVote(pending);
  }

  /** Sends (or re-sends) a vote until the server answers; the voteId makes repeats harmless. */
  async #sendVote(pending: PendingVote): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          if (!this.#socket.connected) await new Promise((resolve) => this.#socket.once('connect', () => resolve(null)));
          const reply = await this.#ackOrDisconnect(pending);
          sessionStorage.removeItem(PENDING_KEY);
          if (isError(reply)) {
            this.error = reply.error.message;
            return;
          }
          this.winner = pending.winner;
          this.revealed = reply.models;
          sessionStorage.removeItem(CURRENT_KEY);
          return;
        } catch {
          if (attempt >= 5) {
            this.error = 'Could not reach the server to record your vote. It will be sent again when you reload.';
            return;
          }
        }
      }
    } finally {
      this.busy = false;
    }
  }

  /** The vote's ack, or a rejection as soon as the connection drops (then the vote is re-sent). */
  #ackOrDisconnect(pending: PendingVote) {
    const socket = this.#socket;
    let onDisconnect = () => {};
    const dropped = new Promise<never>((_, reject) => {
      onDisconnect = () => reject(new Error('disconnected before the ack'));
      socket.once('disconnect', onDisconnect);
    });
    return Promise.race([socket.timeout(10_000).emitWithAck('battle:vote', pending), dropped]).finally(() =>
      socket.off('disconnect', onDisconnect),
    );
  }

  reset(): void {
    sessionStorage.removeItem(PENDING_KEY);
    this.battleId = null;
    this.turns = [];
    this.revealed = null;
    this.winner = null;
    this.error = null;
    sessionStorage.removeItem(CURRENT_KEY);
  }

  /** After a reload, pick up the battle this tab was in, streaming or finished. */
  async resume(): Promise<void> {
    const battleId = sessionStorage.getItem(CURRENT_KEY);
    if (!battleId) return;
    const reply = await this.#socket.emitWithAck('battle:resume', { battleId });
    if (isError(reply)) {
      sessionStorage.removeItem(CURRENT_KEY);
      return;
    }
    this.#load(reply.battle);
    const pending = sessionStorage.getItem(PENDING_KEY);
    if (pending && !this.revealed && !this.busy) {
      const vote = JSON.parse(pending) as PendingVote;
      if (vote.battleId === battleId) await this.#sendVote(vote);
    } else if (!pending || this.revealed) {
      sessionStorage.removeItem(PENDING_KEY);
    }
  }

  #load(view: BattleView): void {
    this.battleId = view.battleId;
    this.turns = view.turns.map((t) => ({ turn: t.turn, prompt: t.prompt, a: { ...t.a }, b: { ...t.b } }));
    this.revealed = view.vote?.models ?? null;
    this.winner = view.vote?.winner ?? null;
  }

  #answer(battleId: string, turn: number, side: Side): AnswerState | undefined {
    if (battleId !== this.battleId && !(this.battleId === null && this.busy)) return undefined;
    return this.turns.find((t) => t.turn === turn)?.[side];
  }

  #onDelta(d: BattleDelta): void {
    const answer = this.#answer(d.battleId, d.turn, d.side);
    if (!answer) return;
    if (d.reasoning) answer.reasoning += d.reasoning;
    else answer.text += d.text;
  }

  #onEnd(e: BattleEnd): void {
    const answer = this.#answer(e.battleId, e.turn, e.side);
    if (!answer) return;
    answer.finishReason = e.finishReason;
    answer.error = e.error ?? null;
    answer.reasoningMs = e.reasoningMs ?? null;
  }
}
