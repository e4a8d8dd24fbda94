/**
 * Provider adapters a test scripts piece by piece: chunks to yield, a gate to wait at, a failure to
 * throw. Waiting always ends when the request is aborted (a stop, a restart), as a real stream would.
 */
import type { ProviderAdapter, ProviderChunk, ProviderRequest } from '../../server/providers/types.ts';

/** One step of a scripted answer. */
export type AdapterStep = ProviderChunk | { wait: Promise<unknown> } | { hang: true } | { fail: Error };

/** A promise the test resolves when it wants the adapter to go on. */
export interface Gate {
  promise: Promise<void>;
  open(): void;
}

export function gate(): Gate {
  let open: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** A finished answer: the text in pieces, the service's token counts, a normal stop. */
export function answer(pieces: string[], usage: { inputTokens: number; outputTokens: number } = { inputTokens: 12, outputTokens: 6 }): AdapterStep[] {
  return [...pieces.map((text): ProviderChunk => ({ type: 'text', text })), { type: 'usage', ...usage }, { type: 'finish', reason: 'stop' }];
}

/** Plays `steps` for every request it gets; `seen` collects the requests. */
export function scriptedAdapter(steps: readonly AdapterStep[], seen?: ProviderRequest[]): ProviderAdapter {
  return async function* (req) {
    seen?.push(req);
    for (const step of steps) {
      if ('wait' in step) await untilAborted(step.wait, req.signal);
      else if ('hang' in step) await untilAborted(new Promise(() => undefined), req.signal);
      else if ('fail' in step) throw step.fail;
      else yield step;
    }
  };
}

function untilAborted(promise: Promise<unknown>, signal: AbortSignal): Promise<unknown> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
