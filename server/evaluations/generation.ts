/**
 * Pre-generation: answers every prompt×model of running evaluations in the background, at most
 * `concurrency` at a time, retrying failures with exponential backoff before marking them failed.
 * The queue is the database itself (pending rows), so a restart picks up where it stopped.
 */
import type { ModelConfig } from '../models/config.ts';
import type { ModelRegistry } from '../models/registry.ts';
import { adapterFor as defaultAdapterFor } from '../providers/index.ts';
import { runCompletion } from '../providers/run-completion.ts';
import type { ChatMessage, CompletionResult, ProviderAdapter } from '../providers/types.ts';
import { styleColumnsOf } from '../standings/answer-style.ts';
import type { EvaluationRepo, EvaluationRow, GenerationRow } from './repo.ts';

export interface GenerationDeps {
  repo: EvaluationRepo;
  registry: ModelRegistry;
  concurrency: number;
  retries: number;
  retryDelayMs: number;
  now: () => number;
  adapterFor?: (model: ModelConfig) => ProviderAdapter;
  fetch?: typeof fetch;
  /** A generation of this evaluation changed status. */
  onChange: (evaluationId: string) => void;
}

/** The evaluation's overrides applied over the model's own settings. */
export function effectiveModel(model: ModelConfig, ev: Pick<EvaluationRow, 'systemPrompt' | 'temperature' | 'maxTokens'>): ModelConfig {
  return {
    ...model,
    ...(ev.systemPrompt !== null && { systemPrompt: ev.systemPrompt }),
    ...(ev.temperature !== null && { temperature: ev.temperature }),
    ...(ev.maxTokens !== null && { maxTokens: ev.maxTokens }),
  };
}

export class GenerationRunner {
  readonly #deps: GenerationDeps;
  readonly #running = new Map<number, { evaluationId: string; controller: AbortController; done: Promise<void> }>();
  #retryTimer: NodeJS.Timeout | null = null;
  #stopped = false;

  constructor(deps: GenerationDeps) {
    this.#deps = deps;
  }

  /** Starts due generations until the concurrency limit is reached; safe to call any time. */
  kick(): void {
    if (this.#stopped) return;
    const { repo, now } = this.#deps;
    while (this.#running.size < this.#deps.concurrency) {
      const due = repo.nextDueGeneration(new Date(now()));
      if (!due) break;
      // Another instance may have taken it between the read and the claim: the next one, then.
      if (!repo.claimGeneration(due.id, new Date(now()))) continue;
      const controller = new AbortController();
      const entry = { evaluationId: due.evaluationId, controller, done: Promise.resolve() };
      this.#running.set(due.id, entry);
      entry.done = this.#generate(due, controller.signal)
        // A database error here must not become an unhandled rejection (it would end the process);
        // the generation stays claimed and is retried by the next kick.
        .catch((err: unknown) => console.error('evaluation generation failed:', err))
        .finally(() => {
          this.#running.delete(due.id);
          this.kick();
        });
      this.#deps.onChange(due.evaluationId);
    }
    this.#scheduleRetry();
  }

  /** Aborts the answers being generated for one evaluation (it was closed); they stay pending. */
  async cancel(evaluationId: string): Promise<void> {
    const entries = [...this.#running.values()].filter((e) => e.evaluationId === evaluationId);
    for (const e of entries) e.controller.abort();
    await Promise.all(entries.map((e) => e.done));
  }

  async shutdown(): Promise<void> {
    this.#stopped = true;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    const entries = [...this.#running.values()];
    for (const e of entries) e.controller.abort();
    await Promise.all(entries.map((e) => e.done));
  }

  #scheduleRetry(): void {
    if (this.#retryTimer || this.#stopped) return;
    const at = this.#deps.repo.nextRetryAt();
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

  async #generate(gen: GenerationRow, signal: AbortSignal): Promise<void> {
    const { repo, registry, now } = this.#deps;
    const ev = repo.get(gen.evaluationId);
    const prompt = repo.prompt(gen.promptId);
    const model = registry.get(gen.modelId);
    let outcome: { answers: string[]; result: CompletionResult | null; tokens: { input: number; output: number; ms: number } };
    if (!ev || !prompt || !model) {
      outcome = { answers: [], result: null, tokens: { input: 0, output: 0, ms: 0 } };
    } else {
      outcome = await this.#conversation(effectiveModel(model, ev), prompt.turns, signal);
    }
    const error = outcome.result ? outcome.result.error : { kind: 'connect', message: 'the model or prompt no longer exists' };
    const at = new Date(now());
    if (error?.kind === 'aborted') {
      // Shutdown or close: not the model's fault, so the attempt does not count.
      repo.finishGeneration(gen.id, { status: 'pending', attempts: gen.attempts, updatedAt: at });
    } else if (!error) {
      repo.finishGeneration(gen.id, {
        status: 'done',
        answers: outcome.answers,
        ...styleColumnsOf(outcome.answers),
        errorKind: null,
        errorMessage: null,
        updatedAt: at,
        inputTokens: outcome.tokens.input,
        outputTokens: outcome.tokens.output,
        totalMs: outcome.tokens.ms,
      });
    } else {
      const attempts = gen.attempts + 1;
      const retry = attempts <= this.#deps.retries;
      repo.finishGeneration(gen.id, {
        status: retry ? 'pending' : 'failed',
        retryAt: retry ? new Date(now() + this.#deps.retryDelayMs * 2 ** (attempts - 1)) : null,
        errorKind: error.kind,
        errorMessage: error.message,
        updatedAt: at,
      });
    }
    this.#deps.onChange(gen.evaluationId);
  }

  /** Turn by turn, feeding the model its own earlier answers. Stops at the first failed turn. */
  async #conversation(model: ModelConfig, turns: string[], signal: AbortSignal) {
    const { registry } = this.#deps;
    const messages: ChatMessage[] = model.systemPrompt ? [{ role: 'system', content: model.systemPrompt }] : [];
    const answers: string[] = [];
    const tokens = { input: 0, output: 0, ms: 0 };
    let result: CompletionResult | null = null;
    for (const turn of turns) {
      messages.push({ role: 'user', content: turn });
      result = await runCompletion({
        adapter: (this.#deps.adapterFor ?? defaultAdapterFor)(model),
        request: { model, messages: [...messages], apiKey: registry.apiKeyFor(model), ...(this.#deps.fetch && { fetch: this.#deps.fetch }) },
        signal,
      });
      tokens.input += result.inputTokens;
      tokens.output += result.outputTokens;
      tokens.ms += result.totalMs;
      if (result.error) break;
      answers.push(result.text);
      messages.push({ role: 'assistant', content: result.text });
    }
    return { answers, result, tokens };
  }
}
