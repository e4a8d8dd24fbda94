/** The voter's side of an evaluation: the running list, the item in hand, votes, live progress. */
import type { ErrorBody } from '../../../protocol/errors.ts';
import type { EvalItem, EvalProgress, VoterEvaluation, VoterProgress } from '../../../protocol/evaluations.ts';
import type { Winner } from '../../../protocol/types.ts';
import { api, errorBodyOf } from './http.ts';
import { type ArenaSocket, isError } from './socket.ts';
import { newVoteId } from './vote-delivery.ts';

export class EvalVoterState {
  #evaluations = $state.raw<VoterEvaluation[] | null>(null);
  #item = $state.raw<EvalItem | null>(null);
  #progress = $state.raw<EvalProgress | null>(null);
  #mine = $state.raw<VoterProgress | null>(null);
  #finished = $state(false);
  #busy = $state(false);
  #error = $state.raw<ErrorBody | null>(null);

  readonly #socket: ArenaSocket;
  #evaluationId: string | null = null;
  readonly #onProgress = (p: EvalProgress) => {
    if (p.evaluationId === this.#evaluationId) this.#progress = p;
  };
  readonly #onConnect = () => void this.#subscribe();

  constructor(socket: ArenaSocket) {
    this.#socket = socket;
    socket.on('eval:progress', this.#onProgress);
    socket.on('connect', this.#onConnect);
  }

  /** The running evaluations (after `loadList`). */
  get evaluations(): readonly VoterEvaluation[] | null {
    return this.#evaluations;
  }
  /** The item to judge now. */
  get item(): EvalItem | null {
    return this.#item;
  }
  get progress(): EvalProgress | null {
    return this.#progress;
  }
  /** This voter's own count in the open evaluation. */
  get mine(): VoterProgress | null {
    return this.#mine;
  }
  /** Nothing left for this voter in the open evaluation. */
  get finished(): boolean {
    return this.#finished;
  }
  get busy(): boolean {
    return this.#busy;
  }
  /** What went wrong last, for the page to word (`i18n.error`). */
  get error(): ErrorBody | null {
    return this.#error;
  }

  async loadList(): Promise<void> {
    try {
      this.#evaluations = (await api('GET /api/evaluations')).evaluations;
    } catch (err) {
      this.#error = errorBodyOf(err);
    }
  }

  async open(evaluationId: string): Promise<void> {
    this.#evaluationId = evaluationId;
    await this.#subscribe();
    await this.next();
  }

  async next(): Promise<void> {
    if (!this.#evaluationId) return;
    const reply = await this.#socket.emitWithAck('eval:next', { evaluationId: this.#evaluationId });
    if (isError(reply)) {
      this.#error = reply.error;
      return;
    }
    this.#item = reply.item;
    this.#mine = reply.progress;
    this.#finished = reply.item === null;
  }

  async vote(winner: Winner, reason: string): Promise<boolean> {
    const item = this.#item;
    if (!item || this.#busy) return false;
    this.#busy = true;
    this.#error = null;
    try {
      const reply = await this.#socket.emitWithAck('eval:vote', {
        evaluationId: item.evaluationId,
        itemId: item.itemId,
        winner,
        voteId: newVoteId(),
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      });
      if (isError(reply)) {
        this.#error = reply.error;
        return false;
      }
      this.#mine = reply.progress;
      await this.next();
      return true;
    } finally {
      this.#busy = false;
    }
  }

  /** Passes on the item in hand: it goes to someone else, and the next one comes. */
  async skip(): Promise<void> {
    const item = this.#item;
    if (!item || this.#busy) return;
    this.#busy = true;
    this.#error = null;
    try {
      const reply = await this.#socket.emitWithAck('eval:skip', { evaluationId: item.evaluationId, itemId: item.itemId });
      if (isError(reply)) {
        this.#error = reply.error;
        return;
      }
      this.#item = reply.item;
      this.#mine = reply.progress;
      this.#finished = reply.item === null;
    } finally {
      this.#busy = false;
    }
  }

  dispose(): void {
    this.#socket.off('eval:progress', this.#onProgress);
    this.#socket.off('connect', this.#onConnect);
    if (this.#evaluationId) void this.#socket.emitWithAck('eval:unsubscribe', { evaluationId: this.#evaluationId });
  }

  async #subscribe(): Promise<void> {
    if (!this.#evaluationId) return;
    const reply = await this.#socket.emitWithAck('eval:subscribe', { evaluationId: this.#evaluationId });
    if (isError(reply)) this.#error = reply.error;
    else this.#progress = reply.progress;
  }
}
