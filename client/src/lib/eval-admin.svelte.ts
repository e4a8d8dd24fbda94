/** The admin's view of one evaluation: its detail and results, refreshed as live progress arrives. */
import type { EvalProgress, EvaluationDetail, EvaluationResults } from '../../../protocol/evaluations.ts';
import { apiGet, apiPost, errorText } from './auth-http.ts';
import { getSocket, type ArenaSocket } from './socket.ts';

const REFRESH_MS = 400;

export class EvalAdminState {
  detail = $state.raw<EvaluationDetail | null>(null);
  results = $state.raw<EvaluationResults | null>(null);
  progress = $state.raw<EvalProgress | null>(null);
  error = $state<string | null>(null);
  busy = $state(false);

  readonly id: string;
  readonly #socket: ArenaSocket;
  #timer: ReturnType<typeof setTimeout> | null = null;
  readonly #onProgress = (p: EvalProgress) => {
    if (p.evaluationId !== this.id) return;
    this.progress = p;
    // Results cost a Bradley-Terry fit: refresh at most every REFRESH_MS however fast votes come.
    this.#timer ??= setTimeout(() => {
      this.#timer = null;
      void this.refresh();
    }, REFRESH_MS);
  };
  readonly #onConnect = () => void this.#watch();

  constructor(id: string, socket: ArenaSocket = getSocket()) {
    this.id = id;
    this.#socket = socket;
    socket.on('eval:progress', this.#onProgress);
    socket.on('connect', this.#onConnect);
  }

  async load(): Promise<void> {
    await this.#watch();
    await this.refresh();
  }

  async refresh(): Promise<void> {
    try {
      const [detail, results] = await Promise.all([
        apiGet<{ evaluation: EvaluationDetail }>(`/api/admin/evaluations/${this.id}`),
        apiGet<{ results: EvaluationResults }>(`/api/admin/evaluations/${this.id}/results`),
      ]);
      this.detail = detail.evaluation;
      this.results = results.results;
      this.progress = results.results.progress;
    } catch (err) {
      this.error = errorText(err);
    }
  }

  async act(action: 'start' | 'close' | 'reopen' | 'retry'): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      this.detail = (await apiPost<{ evaluation: EvaluationDetail }>(`/api/admin/evaluations/${this.id}/${action}`)).evaluation;
      this.progress = this.detail.progress;
    } catch (err) {
      this.error = errorText(err);
    } finally {
      this.busy = false;
    }
  }

  dispose(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#socket.off('eval:progress', this.#onProgress);
    this.#socket.off('connect', this.#onConnect);
    void this.#socket.emitWithAck('eval:unsubscribe', { evaluationId: this.id });
  }

  async #watch(): Promise<void> {
    if (!this.#socket.connected) return;
    const reply = await this.#socket.emitWithAck('eval:watch', { evaluationId: this.id });
    if (reply.ok) this.progress = reply.progress;
  }
}
