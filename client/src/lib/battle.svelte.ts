/** State of the battle on screen (blind or named): turns streaming in, stop and retry, the vote, the reveal. */
import type { ErrorBody } from '../../../protocol/errors.ts';
import type { BattleDelta, BattleEnd } from '../../../protocol/events.ts';
import type { BattleStartInput } from '../../../protocol/schemas.ts';
import type { AnswerView, BattleView, IntegrityFlag, RevealedModels, Side, Winner } from '../../../protocol/types.ts';
import { type AckOf, type ArenaSocket, isError } from './socket.ts';
import { deliverVote, newVoteId, untilServed } from './vote-delivery.ts';

export type AnswerState = Readonly<AnswerView>;

export interface TurnState {
  readonly turn: number;
  readonly prompt: string;
  readonly a: AnswerState;
  readonly b: AnswerState;
}

/** The battle's own copy of a turn, which streamed pieces and ends change. */
type LiveTurn = BattleView['turns'][number];

/** Why the battle cannot be voted on: a model failed (retry with another pair), the server restarted mid-answer (retry the prompt), or the voter stopped it. */
export type BattleEnding = 'model_failed' | 'restart' | 'stopped';

/** What went wrong with the last request: the server's refusal (the page words it from its code), or no server reached. */
export type BattleProblem = ErrorBody | { unreachable: 'stop' | 'vote' };

/** How a new battle starts: `retryOf` a failed blind one (a new pair), or `models` for a named battle. */
export type StartOptions = Omit<BattleStartInput, 'prompt'>;
type PendingVote = { battleId: string; winner: Winner; voteId: string };

const emptyAnswer = (): AnswerView => ({ text: '', reasoning: '', reasoningMs: null, finishReason: null, error: null, failure: null, interruption: null });

export class BattleState {
  #battleId = $state<string | null>(null);
  #turns = $state<LiveTurn[]>([]);
  #revealed = $state<RevealedModels | null>(null);
  #winner = $state<Winner | null>(null);
  #notCounted = $state<IntegrityFlag[] | null>(null);
  #error = $state<BattleProblem | null>(null);
  #busy = $state(false);
  #stopping = $state(false);
  #named = $state<RevealedModels | null>(null);

  readonly #socket: ArenaSocket;
  /** sessionStorage keys of the battle in this tab and its unacknowledged vote (one pair per page kind). */
  readonly #keys: { current: string; pending: string };

  readonly #listeners = {
    delta: (d: BattleDelta) => this.#onDelta(d),
    end: (e: BattleEnd) => this.#onEnd(e),
    // A new connection is not in the battle's room: pick the battle up again (missed pieces too).
    reconnect: () => {
      if (this.#battleId && !this.#revealed) void this.resume();
    },
  };

  /** `storage` names this page's battle in sessionStorage, so the blind and the named page each resume their own. */
  constructor(socket: ArenaSocket, opts: { storage?: string } = {}) {
    this.#socket = socket;
    const prefix = opts.storage ?? 'arena';
    this.#keys = { current: `${prefix}.currentBattle`, pending: `${prefix}.pendingVote` };
    socket.on('battle:delta', this.#listeners.delta);
    socket.on('battle:end', this.#listeners.end);
    socket.on('connect', this.#listeners.reconnect);
  }

  /** Stops listening (the page is leaving); the page's socket stays open. */
  destroy(): void {
    this.#socket.off('battle:delta', this.#listeners.delta);
    this.#socket.off('battle:end', this.#listeners.end);
    this.#socket.off('connect', this.#listeners.reconnect);
  }

  get battleId(): string | null {
    return this.#battleId;
  }
  get turns(): readonly TurnState[] {
    return this.#turns;
  }
  get revealed(): RevealedModels | null {
    return this.#revealed;
  }
  /** A named battle's models as the server has them (after a resume); null in a blind battle. */
  get named(): RevealedModels | null {
    return this.#named;
  }
  get winner(): Winner | null {
    return this.#winner;
  }
  /** Set after the vote when it stays out of the public standings: the integrity rules it tripped. */
  get notCounted(): readonly IntegrityFlag[] | null {
    return this.#notCounted;
  }
  get error(): BattleProblem | null {
    return this.#error;
  }
  get busy(): boolean {
    return this.#busy;
  }
  /** True from Stop until both answers have ended. */
  get stopping(): boolean {
    return this.#stopping;
  }

  get current(): TurnState | undefined {
    return this.#turns[this.#turns.length - 1];
  }

  /** Both answers of the last turn have ended. */
  get finished(): boolean {
    const t = this.current;
    return !!t && t.a.finishReason !== null && t.b.finishReason !== null;
  }

  get streaming(): boolean {
    return this.#battleId !== null && this.#turns.length > 0 && !this.finished;
  }

  get ending(): BattleEnding | null {
    const answers = this.#turns.flatMap((t) => [t.a, t.b]);
    if (answers.some((a) => a.finishReason === 'error' && a.interruption === null)) return 'model_failed';
    if (answers.some((a) => a.interruption === 'restart')) return 'restart';
    if (answers.some((a) => a.interruption === 'stopped')) return 'stopped';
    return null;
  }

  get failed(): boolean {
    return this.ending !== null;
  }

  get canVote(): boolean {
    return this.finished && !this.failed && !this.#revealed && !this.#busy;
  }

  get canPrompt(): boolean {
    return !this.#busy && !this.#revealed && !this.failed && (this.#turns.length === 0 || this.finished);
  }

  /** Sends a prompt (a new battle, or a follow-up); false when the server refused it (the reason is in `error`). */
  async send(prompt: string, opts: StartOptions = {}): Promise<boolean> {
    if (!this.canPrompt) return false;
    this.#error = null;
    this.#busy = true;
    const turn = this.#turns.length + 1;
    this.#turns.push({ turn, prompt, a: emptyAnswer(), b: emptyAnswer() });
    try {
      // Sent again to the next instance when this one is shutting down (or the connection drops first).
      const battleId = this.#battleId;
      const reply = await untilServed(this.#socket, () =>
        battleId ? this.#socket.emitWithAck('battle:continue', { battleId, prompt }) : this.#start(prompt, opts),
      );
      if (isError(reply)) {
        this.#turns.pop();
        this.#error = reply.error;
        return false;
      }
      return true;
    } finally {
      this.#busy = false;
    }
  }

  async #start(prompt: string, opts: StartOptions) {
    const reply = await this.#socket.emitWithAck('battle:start', { prompt, ...opts });
    if (!isError(reply)) {
      this.#battleId = reply.battleId;
      sessionStorage.setItem(this.#keys.current, reply.battleId);
    }
    return reply;
  }

  /** Cuts both answers short; the battle can then no longer be voted on. */
  async stop(): Promise<void> {
    if (!this.#battleId || !this.streaming || this.#stopping) return;
    this.#stopping = true;
    try {
      const reply = await this.#socket.timeout(10_000).emitWithAck('battle:stop', { battleId: this.#battleId });
      if (isError(reply)) this.#error = reply.error;
    } catch {
      this.#error = { unreachable: 'stop' };
    } finally {
      this.#stopping = false;
    }
  }

  /** Leaves this battle for a fresh one; one not yet over is stopped, so it stops streaming (and costing) unseen. */
  async newBattle(): Promise<void> {
    const battleId = this.#battleId;
    if (battleId && !this.#revealed && !this.failed) {
      // Best effort: a battle left behind also ends by itself after the vote window.
      await this.#socket
        .timeout(5_000)
        .emitWithAck('battle:stop', { battleId })
        .catch(() => undefined);
    }
    this.reset();
  }

  /** The last prompt again, in a new battle: a new pair, without the model that failed. */
  async retry(): Promise<boolean> {
    const prompt = this.current?.prompt;
    const retryOf = this.#battleId;
    if (!prompt) return false;
    this.reset();
    return this.send(prompt, retryOf ? { retryOf } : {});
  }

  async vote(winner: Winner): Promise<void> {
    if (!this.canVote || !this.#battleId) return;
    const pending: PendingVote = { battleId: this.#battleId, winner, voteId: newVoteId() };
    // Kept until acknowledged: a reload or a dropped connection re-sends the very same vote.
    sessionStorage.setItem(this.#keys.pending, JSON.stringify(pending));
    await this.#sendVote(pending);
  }

  /** Sends (or re-sends) a vote until the server answers; the voteId makes repeats harmless. */
  async #sendVote(pending: PendingVote): Promise<void> {
    this.#busy = true;
    this.#error = null;
    try {
      const reply = await deliverVote(this.#socket, pending);
      if (reply === null) {
        this.#error = { unreachable: 'vote' };
        return;
      }
      sessionStorage.removeItem(this.#keys.pending);
      if (isError(reply)) {
        this.#error = reply.error;
        return;
      }
      this.#winner = pending.winner;
      this.#revealed = reply.models;
      this.#notCounted = reply.counted ? null : reply.flags;
      sessionStorage.removeItem(this.#keys.current);
    } finally {
      this.#busy = false;
    }
  }

  reset(): void {
    for (const key of [this.#keys.pending, this.#keys.current]) sessionStorage.removeItem(key);
    this.#battleId = null;
    this.#turns = [];
    this.#revealed = this.#named = this.#winner = this.#notCounted = this.#error = null;
  }

  /** After a reload or a reconnect, pick up this tab's battle; loaded in the answer's callback, so a piece right behind it adds to the view. */
  async resume(): Promise<void> {
    const battleId = sessionStorage.getItem(this.#keys.current);
    if (!battleId) return;
    const reply = await new Promise<AckOf<'battle:resume'>>((done) =>
      this.#socket.emit('battle:resume', { battleId }, (r) => done(isError(r) ? r : this.#load(r))),
    );
    if (isError(reply)) {
      if (reply.error.code !== 'unavailable') sessionStorage.removeItem(this.#keys.current);
      return;
    }
    const pending = sessionStorage.getItem(this.#keys.pending);
    if (pending && !this.#revealed && !this.#busy) {
      const vote = JSON.parse(pending) as PendingVote;
      if (vote.battleId === battleId) await this.#sendVote(vote);
    } else if (!pending || this.#revealed) {
      sessionStorage.removeItem(this.#keys.pending);
    }
  }

  #load<R extends { battle: BattleView }>(reply: R): R {
    const view = reply.battle;
    this.#battleId = view.battleId;
    this.#turns = view.turns.map((t) => ({ turn: t.turn, prompt: t.prompt, a: { ...t.a }, b: { ...t.b } }));
    this.#revealed = view.vote?.models ?? null;
    this.#winner = view.vote?.winner ?? null;
    this.#notCounted = view.vote && !view.vote.counted ? view.vote.flags : null;
    this.#named = view.named ?? null;
    return reply;
  }

  #answer(battleId: string, turn: number, side: Side): AnswerView | undefined {
    if (battleId !== this.#battleId && !(this.#battleId === null && this.#busy)) return undefined;
    return this.#turns.find((t) => t.turn === turn)?.[side];
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
    answer.failure = e.failure ?? null;
    answer.reasoningMs = e.reasoningMs ?? null;
    answer.interruption = e.interruption ?? null;
  }
}
