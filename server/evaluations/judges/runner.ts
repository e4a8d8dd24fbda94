/**
 * Judging in the background: every pending call of running judge runs, at most `concurrency` at a
 * time, over all evaluations. A provider failure is retried with growing delays, then recorded as
 * failed; a verdict that cannot be parsed is asked again, then recorded as unparsed. A run stops
 * starting calls once its spend (plus the estimated cost of its calls in flight) reaches its cap.
 */
import type { ModelConfig } from '../../models/config.ts';
import type { ModelRegistry } from '../../models/registry.ts';
import { adapterFor as defaultAdapterFor } from '../../providers/index.ts';
import { runCompletion } from '../../providers/run-completion.ts';
import type { ChatMessage, ProviderAdapter } from '../../providers/types.ts';
import type { EvaluationRepo } from '../repo.ts';
import { callCostUsd, estimateCallUsd } from './estimate.ts';
import type { JudgeRepo, JudgmentRow } from './judge-repo.ts';
import { judgeMessages } from './prompt.ts';
import { parseVerdict } from './verdict.ts';

export interface JudgeRunnerDeps {
  judges: JudgeRepo;
  repo: EvaluationRepo;
  registry: ModelRegistry;
  concurrency: number;
  retries: number;
  parseRetries: number;
  retryDelayMs: number;
  outputTokensEstimate: number;
  now: () => number;
  adapterFor?: ((model: ModelConfig) => ProviderAdapter) | undefined;
  fetch?: typeof fetch | undefined;
  /** A call of this evaluation changed status. */
  onChange: (evaluationId: string) => void;
}

interface Prepared {
  model: ModelConfig;
  messages: ChatMessage[];
  estimateUsd: number;
}

interface InFlight {
  runId: number;
  evaluationId: string;
  estimateUsd: number;
  controller: AbortController;
  done: Promise<void>;
}

export class JudgeRunner {
  readonly #deps: JudgeRunnerDeps;
  readonly #running = new Map<number, InFlight>();
  #retryTimer: NodeJS.Timeout | null = null;
  #stopped = false;

  constructor(deps: JudgeRunnerDeps) {
    this.#deps = deps;
  }

  kick(): void {
    if (this.#stopped) return;
    const { judges, now } = this.#deps;
    const capped: number[] = [];
    while (this.#running.size < this.#deps.concurrency) {
      const due = judges.nextDue(new Date(now()), capped);
      if (!due) break;
      const run = judges.run(due.runId)!;
      const inFlight = [...this.#running.values()].filter((e) => e.runId === run.id).reduce((s, e) => s + e.estimateUsd, 0);
      if (run.spentUsd + inFlight >= run.capUsd) {
        // Its calls in flight may still finish; nothing more starts until an admin raises the cap.
        if (inFlight === 0) judges.updateRun(run.id, { status: 'capped', finishedAt: new Date(now()) });
        capped.push(run.id);
        this.#deps.onChange(run.evaluationId);
        continue;
      }
      this.#start(due, run.prompt);
    }
    this.#scheduleRetry();
  }

  /** Stops every call in flight (shutdown); they stay pending. */
  async shutdown(): Promise<void> {
    this.#stopped = true;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    const entries = [...this.#running.values()];
    for (const e of entries) e.controller.abort();
    await Promise.all(entries.map((e) => e.done));
  }

  #start(call: JudgmentRow, instructions: string): void {
    const { judges, now } = this.#deps;
    // Another instance may have taken it between the read and the claim: it is theirs.
    if (!judges.claim(call.id, new Date(now()))) return;
    const prepared = this.#prepare(call, instructions);
    const controller = new AbortController();
    const entry: InFlight = {
      runId: call.runId,
      evaluationId: call.evaluationId,
      estimateUsd: prepared?.estimateUsd ?? 0,
      controller,
      done: Promise.resolve(),
    };
    this.#running.set(call.id, entry);
    entry.done = this.#judge(call, prepared, controller.signal)
      // A database error must not end the process; the call stays claimed until the next start.
      .catch((err: unknown) => console.error('evaluation judging failed:', err))
      .finally(() => {
        this.#running.delete(call.id);
        this.kick();
      });
    this.#deps.onChange(call.evaluationId);
  }

  /** The judge, its messages and the estimated cost of the call; null when the item or model is gone. */
  #prepare(call: JudgmentRow, instructions: string): Prepared | null {
    const { repo, registry, judges } = this.#deps;
    const run = judges.run(call.runId);
    const model = run && registry.get(run.modelId);
    const item = repo.item(call.itemId);
    const prompt = item && repo.prompt(item.promptId);
    if (!model || !item || !prompt) return null;
    const answers = repo.answersOf(item.promptId, [item.modelX, item.modelY]);
    const [x, y] = [answers.get(item.modelX) ?? [], answers.get(item.modelY) ?? []];
    const messages = judgeMessages(instructions, { turns: prompt.turns, first: call.order === 'xy' ? x : y, second: call.order === 'xy' ? y : x });
    return { model, messages, estimateUsd: estimateCallUsd(model, messages, this.#deps.outputTokensEstimate) ?? 0 };
  }

  async #judge(call: JudgmentRow, prepared: Prepared | null, signal: AbortSignal): Promise<void> {
    const { judges, registry, now } = this.#deps;
    const at = () => new Date(now());
    if (!prepared) {
      judges.finish(call.id, { status: 'failed', errorKind: 'connect', errorMessage: 'the judge model or the item no longer exists', updatedAt: at() });
      this.#settle(call);
      return;
    }
    const result = await runCompletion({
      adapter: (this.#deps.adapterFor ?? defaultAdapterFor)(prepared.model),
      request: {
        model: prepared.model,
        messages: prepared.messages,
        apiKey: registry.apiKeyFor(prepared.model),
        ...(this.#deps.fetch && { fetch: this.#deps.fetch }),
      },
      signal,
    });
    if (result.error?.kind === 'aborted') {
      // Shutdown: not the judge's doing, so the call does not count.
      judges.finish(call.id, { status: 'pending', updatedAt: at() });
      return;
    }
    // A failed call the service reported no usage for is taken as free (an HTTP error costs nothing).
    const cost = result.error && result.tokensEstimated ? 0 : callCostUsd(prepared.model, result.inputTokens, result.outputTokens);
    judges.addSpend(call.runId, cost);
    const spent = {
      attempts: call.attempts + 1,
      inputTokens: call.inputTokens + result.inputTokens,
      outputTokens: call.outputTokens + result.outputTokens,
      costUsd: call.costUsd + cost,
      updatedAt: at(),
    };
    if (result.error) {
      const providerFailures = call.attempts - call.unparsedAttempts + 1;
      const retry = providerFailures <= this.#deps.retries;
      judges.finish(call.id, {
        ...spent,
        status: retry ? 'pending' : 'failed',
        retryAt: retry ? new Date(now() + this.#deps.retryDelayMs * 2 ** (providerFailures - 1)) : null,
        errorKind: result.error.kind,
        errorMessage: result.error.message,
      });
    } else {
      const verdict = parseVerdict(result.text);
      if (verdict) {
        judges.finish(call.id, { ...spent, status: 'done', verdict, reason: result.text, errorKind: null, errorMessage: null, retryAt: null });
      } else {
        // Never guessed: asked again, then recorded as unparsed with what the judge said.
        const unparsedAttempts = call.unparsedAttempts + 1;
        const retry = unparsedAttempts <= this.#deps.parseRetries;
        judges.finish(call.id, { ...spent, unparsedAttempts, status: retry ? 'pending' : 'unparsed', reason: result.text, retryAt: null });
      }
    }
    this.#settle(call);
  }

  /** A run with nothing left to ask is done. */
  #settle(call: JudgmentRow): void {
    const { judges, now } = this.#deps;
    const counts = judges.counts(call.runId);
    const run = judges.run(call.runId);
    if (run?.status === 'running' && counts.pending === 0 && counts.running === 0) judges.updateRun(run.id, { status: 'done', finishedAt: new Date(now()) });
    this.#deps.onChange(call.evaluationId);
  }

  #scheduleRetry(): void {
    if (this.#retryTimer || this.#stopped) return;
    const at = this.#deps.judges.nextRetryAt();
    if (!at) return;
    this.#retryTimer = setTimeout(
      () => {
        this.#retryTimer = null;
        this.kick();
      },
      Math.max(0, at.getTime() - this.#deps.now()),
    );
    this.#retryTimer.unref();
  }
}
