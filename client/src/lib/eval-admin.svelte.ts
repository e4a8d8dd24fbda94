/** The admin's view of one evaluation: its detail and results, refreshed as live progress arrives. */
import type { ErrorBody } from '../../../protocol/errors.ts';
import type { EvalProgress, EvaluationDetail, EvaluationEditInput, EvaluationResults } from '../../../protocol/evaluations.ts';
import type { JudgeEstimate, JudgeStartInput, RerunInput } from '../../../protocol/judges.ts';
import { api, errorBodyOf } from './http.ts';
import type { ArenaSocket } from './socket.ts';

const REFRESH_MS = 400;

export type EvalAdminAction = 'start' | 'close' | 'reopen' | 'retry';

export class EvalAdminState {
  #detail = $state.raw<EvaluationDetail | null>(null);
  #results = $state.raw<EvaluationResults | null>(null);
  #progress = $state.raw<EvalProgress | null>(null);
  #error = $state.raw<ErrorBody | null>(null);
  #busy = $state(false);

  readonly #id: string;
  readonly #socket: ArenaSocket;
  #timer: ReturnType<typeof setTimeout> | null = null;
  readonly #onProgress = (p: EvalProgress) => {
    if (p.evaluationId !== this.#id) return;
    this.#progress = p;
    // Results cost a Bradley-Terry fit: refresh at most every REFRESH_MS however fast votes come.
    this.#timer ??= setTimeout(() => {
      this.#timer = null;
      void this.refresh();
    }, REFRESH_MS);
  };
  readonly #onConnect = () => void this.#watch();

  constructor(id: string, socket: ArenaSocket) {
    this.#id = id;
    this.#socket = socket;
    socket.on('eval:progress', this.#onProgress);
    socket.on('connect', this.#onConnect);
  }

  get id(): string {
    return this.#id;
  }
  get detail(): EvaluationDetail | null {
    return this.#detail;
  }
  get results(): EvaluationResults | null {
    return this.#results;
  }
  /** The latest counts: pushed live, newer than those in `detail` and `results`. */
  get progress(): EvalProgress | null {
    return this.#progress;
  }
  /** What went wrong last, for the page to word (`i18n.error`). */
  get error(): ErrorBody | null {
    return this.#error;
  }
  get busy(): boolean {
    return this.#busy;
  }

  async load(): Promise<void> {
    await this.#watch();
    await this.refresh();
  }

  async refresh(): Promise<void> {
    const params = { id: this.#id };
    try {
      const [detail, results] = await Promise.all([
        api('GET /api/admin/evaluations/:id', { params }),
        api('GET /api/admin/evaluations/:id/results', { params }),
      ]);
      this.#detail = detail.evaluation;
      this.#results = results.results;
      this.#progress = results.results.progress;
    } catch (err) {
      this.#error = errorBodyOf(err);
    }
  }

  async act(action: EvalAdminAction): Promise<void> {
    this.#busy = true;
    this.#error = null;
    try {
      this.#detail = (await api(`POST /api/admin/evaluations/:id/${action}`, { params: { id: this.#id } })).evaluation;
      this.#progress = this.#detail.progress;
    } catch (err) {
      this.#error = errorBodyOf(err);
    } finally {
      this.#busy = false;
    }
  }

  /** Edits the evaluation (a draft: anything; once started: name, description, result options). */
  async edit(body: EvaluationEditInput): Promise<boolean> {
    return this.#busyWith(async () => {
      this.#detail = (await api('PATCH /api/admin/evaluations/:id', { params: { id: this.#id }, body })).evaluation;
      this.#progress = this.#detail.progress;
      await this.refresh();
    });
  }

  /** Estimates (`dryRun`) or starts judging; null when refused (the error is shown). */
  async judge(body: JudgeStartInput): Promise<{ estimate: JudgeEstimate; started: boolean } | null> {
    let answer: { estimate: JudgeEstimate; started: boolean } | null = null;
    await this.#busyWith(async () => {
      answer = await api('POST /api/admin/evaluations/:id/judges', { params: { id: this.#id }, body });
    });
    return answer;
  }

  /** A new evaluation re-running these prompts with another model; its id, or null when refused. */
  async rerun(body: RerunInput): Promise<string | null> {
    let id: string | null = null;
    await this.#busyWith(async () => {
      id = (await api('POST /api/admin/evaluations/:id/rerun', { params: { id: this.#id }, body })).evaluation.id;
    });
    return id;
  }

  async #busyWith(work: () => Promise<void>): Promise<boolean> {
    this.#busy = true;
    this.#error = null;
    try {
      await work();
      return true;
    } catch (err) {
      this.#error = errorBodyOf(err);
      return false;
    } finally {
      this.#busy = false;
    }
  }

  dispose(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#socket.off('eval:progress', this.#onProgress);
    this.#socket.off('connect', this.#onConnect);
    void this.#socket.emitWithAck('eval:unsubscribe', { evaluationId: this.#id });
  }

  async #watch(): Promise<void> {
    if (!this.#socket.connected) return;
    const reply = await this.#socket.emitWithAck('eval:watch', { evaluationId: this.#id });
    if (reply.ok) this.#progress = reply.progress;
  }
}
