/**
 * Runs battles' answers on the completion thread (completion-worker.ts) instead of the main
 * thread: at a thousand answers at once, reading and parsing the upstream streams took most of the
 * main thread, and every piece waited behind the others. Same contract as runCompletion (pieces
 * to `onText`/`onReasoning` in order, then the result; an abort of `signal` ends the answer with
 * its reason). The thread starts on first use; if it dies, its answers end with an error and the
 * next answer starts a new one.
 */
import type { Worker } from 'node:worker_threads';
import type { ModelConfig } from '../models/config.ts';
import { adapterFor } from '../providers/index.ts';
import { estimateMessagesTokens, estimateTokens, runCompletion } from '../providers/run-completion.ts';
import { type CompletionResult, type ProviderAdapter, ProviderError } from '../providers/types.ts';
import { startWorker, workerEntry } from '../transport/worker-thread.ts';
import { type FromCompletionThread, TEXT, type ThreadRequest, type ToCompletionThread } from './completion-messages.ts';

export interface ThreadRun {
  request: ThreadRequest;
  signal: AbortSignal;
  onText(text: string): void;
  onReasoning(text: string): void;
}

/** Where answers are read: the thread when there is one, else here with the given adapter and fetch (tests). */
export interface AnswerSource {
  completions?: CompletionThread | undefined;
  adapterFor?: ((model: ModelConfig) => ProviderAdapter) | undefined;
  fetch?: typeof fetch | undefined;
}

/**
 * Reads one answer: on the thread when the model is reached over the network and nothing is
 * injected; demo models (no network to read) and test adapters on this thread.
 */
export function readAnswer(source: AnswerSource, run: ThreadRun & { request: { model: ModelConfig } }): Promise<CompletionResult> {
  const { completions, adapterFor: injected, fetch } = source;
  if (completions && !injected && !fetch && run.request.model.provider !== 'demo') return completions.run(run);
  return runCompletion({
    adapter: (injected ?? adapterFor)(run.request.model),
    request: { ...run.request, ...(fetch ? { fetch } : {}) },
    signal: run.signal,
    onText: run.onText,
    onReasoning: run.onReasoning,
  });
}

interface Running extends ThreadRun {
  text: string[];
  reasoning: string[];
  startedAt: number;
  resolve(result: CompletionResult): void;
}

export class CompletionThread {
  #worker: Worker | null = null;
  readonly #running = new Map<number, Running>();
  #nextId = 1;

  run(run: ThreadRun): Promise<CompletionResult> {
    const worker = this.#ensureWorker();
    const id = this.#nextId++;
    return new Promise((resolve) => {
      const abort = () => {
        const reason = run.signal.reason;
        const { kind, message } = reason instanceof ProviderError ? reason : new ProviderError('aborted', 'the request was cancelled');
        this.#send(worker, { type: 'abort', id, kind, message });
      };
      this.#running.set(id, {
        ...run,
        text: [],
        reasoning: [],
        startedAt: performance.now(),
        resolve: (result) => {
          run.signal.removeEventListener('abort', abort);
          resolve(result);
        },
      });
      this.#send(worker, { type: 'start', id, request: run.request });
      if (run.signal.aborted) abort();
      else run.signal.addEventListener('abort', abort, { once: true });
    });
  }

  /** Ends the thread; answers still running end with an `interrupted` error. */
  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = null;
    this.#failAll('interrupted', 'the server shut down mid-answer');
    if (worker) await worker.terminate();
  }

  #send(worker: Worker, message: ToCompletionThread): void {
    worker.postMessage(message);
  }

  #receive = (message: FromCompletionThread): void => {
    if (message.type === 'done') {
      const run = this.#running.get(message.id);
      this.#running.delete(message.id);
      run?.resolve(message.result);
      return;
    }
    const { pieces } = message;
    for (let i = 0; i < pieces.length; i += 3) {
      const run = this.#running.get(pieces[i] as number);
      if (!run) continue;
      const text = pieces[i + 2] as string;
      if (pieces[i + 1] === TEXT) {
        run.text.push(text);
        run.onText(text);
      } else {
        run.reasoning.push(text);
        run.onReasoning(text);
      }
    }
  };

  #ensureWorker(): Worker {
    if (this.#worker) return this.#worker;
    const worker = startWorker(workerEntry(import.meta.url, 'completion-worker'));
    worker.unref();
    worker.on('message', this.#receive);
    const fail = (why: string) => {
      if (this.#worker === worker) this.#worker = null;
      this.#failAll('protocol', `the answer's reading thread stopped (${why})`);
    };
    worker.on('error', (err) => fail(err.message));
    worker.on('exit', (code) => fail(`exit code ${code}`));
    this.#worker = worker;
    return worker;
  }

  /** Ends every running answer with what it had so far and an error. */
  #failAll(kind: 'protocol' | 'interrupted', message: string): void {
    const now = performance.now();
    for (const run of this.#running.values()) {
      const text = run.text.join('');
      const reasoning = run.reasoning.join('');
      run.resolve({
        text,
        reasoning,
        finishReason: 'error',
        error: { kind, message },
        inputTokens: estimateMessagesTokens(run.request.messages),
        outputTokens: estimateTokens(text) + estimateTokens(reasoning),
        tokensEstimated: true,
        ttftMs: null,
        totalMs: now - run.startedAt,
        reasoningMs: null,
      });
    }
    this.#running.clear();
  }
}
