/**
 * What every provider adapter test does: one fake upstream for the file, a model pointed at it, and
 * `runCompletion` driving the real adapter against a scripted answer. A run gives back the result,
 * the text pieces as they were forwarded, and the request the upstream received.
 */
import { type ModelConfig, type ModelConfigInput, modelConfigSchema } from '../../server/models/config.ts';
import { runCompletion } from '../../server/providers/run-completion.ts';
import type { ChatMessage, CompletionResult, ProviderAdapter } from '../../server/providers/types.ts';
import { type FakeUpstream, type RecordedRequest, type ScriptedResponse, type Step, useSharedUpstream } from './fake-upstream.ts';

export interface ProviderHarnessOptions {
  adapter: ProviderAdapter;
  /** The model every run uses unless told otherwise, given the fake upstream's origin. */
  model: (upstreamUrl: string) => ModelConfigInput;
  messages: ChatMessage[];
  apiKey: string;
  /** The headers a streamed answer carries (the fake upstream's plain SSE type when omitted). */
  streamHeaders?: Record<string, string>;
}

export interface RunOptions {
  model?: ModelConfig;
  /** `undefined` sends no key at all; the harness's key when the field is absent. */
  apiKey?: string | undefined;
  messages?: ChatMessage[];
  signal?: AbortSignal;
  fetch?: typeof fetch;
  onText?: (text: string) => void;
}

export interface ProviderRun {
  result: CompletionResult;
  /** Every text piece in the order it was forwarded. */
  texts: string[];
  /** The request the upstream received for this run; reading it throws when none arrived. */
  readonly request: RecordedRequest;
}

export interface ProviderHarness {
  upstream: FakeUpstream;
  model(overrides?: Partial<ModelConfigInput>): ModelConfig;
  /** Scripts one streamed answer (status 200) and runs the adapter against it. */
  run(body: Step[], opts?: RunOptions, script?: Pick<ScriptedResponse, 'gapMs' | 'then'>): Promise<ProviderRun>;
  /** Runs the adapter against whatever the upstream has queued. */
  complete(opts?: RunOptions): Promise<ProviderRun>;
}

/** Call at the top of a provider test file: registers the fake upstream's hooks. */
export function useProviderHarness(opts: ProviderHarnessOptions): ProviderHarness {
  const upstream = useSharedUpstream();
  const model = (overrides: Partial<ModelConfigInput> = {}) => modelConfigSchema.parse({ ...opts.model(upstream.url), ...overrides });
  const complete = async (run: RunOptions = {}): Promise<ProviderRun> => {
    const seen = upstream.requests.length;
    const texts: string[] = [];
    const result = await runCompletion({
      adapter: opts.adapter,
      request: {
        model: run.model ?? model(),
        messages: run.messages ?? opts.messages,
        apiKey: 'apiKey' in run ? run.apiKey : opts.apiKey,
        ...(run.fetch ? { fetch: run.fetch } : {}),
      },
      signal: run.signal ?? new AbortController().signal,
      onText: (text) => {
        texts.push(text);
        run.onText?.(text);
      },
    });
    const request = upstream.requests[seen];
    return {
      result,
      texts,
      get request() {
        if (!request) throw new Error('the fake upstream received no request for this run');
        return request;
      },
    };
  };
  return {
    upstream,
    model,
    complete,
    run(body, run = {}, script = {}) {
      upstream.enqueue({ ...(opts.streamHeaders ? { headers: opts.streamHeaders } : {}), body, ...script });
      return complete(run);
    },
  };
}
