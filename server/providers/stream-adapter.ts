/**
 * An adapter written as a ProviderStream (chunks pushed as the body is read) also iterated the
 * usual way: `for await (const chunk of adapter(req))` drains what the stream pushed, and leaving
 * the loop early aborts the request.
 */
import { type ProviderAdapter, type ProviderChunk, ProviderError, type ProviderRequest, type ProviderStream } from './types.ts';

export function streamAdapter(stream: ProviderStream): ProviderAdapter {
  const adapter = (req: ProviderRequest) => iterate(stream, req);
  return Object.assign(adapter, { stream });
}

async function* iterate(stream: ProviderStream, req: ProviderRequest): AsyncGenerator<ProviderChunk> {
  const leave = new AbortController();
  const queue: ProviderChunk[] = [];
  let wake: (() => void) | null = null;
  let done = false;
  let failure: { err: unknown } | null = null;
  const signal = AbortSignal.any([req.signal, leave.signal]);
  stream({ ...req, signal }, (chunk) => {
    queue.push(chunk);
    wake?.();
  }).then(
    () => {
      done = true;
      wake?.();
    },
    (err: unknown) => {
      failure = { err };
      done = true;
      wake?.();
    },
  );
  try {
    for (;;) {
      while (queue.length > 0) yield queue.shift()!;
      if (done) {
        if (failure) throw (failure as { err: unknown }).err;
        return;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = null;
    }
  } finally {
    if (!done) leave.abort(new ProviderError('aborted', 'the request was cancelled'));
  }
}
