/**
 * The completion thread: reads the upstream streams of battles (HTTP, SSE, each vendor's frames)
 * off the main thread, which then only relays the pieces to the pages. The pieces read in one
 * turn of this thread's loop, for every answer, go to the main thread as one message.
 */
import { parentPort } from 'node:worker_threads';
import { adapterFor } from '../providers/index.ts';
import { runCompletion } from '../providers/run-completion.ts';
import { ProviderError } from '../providers/types.ts';
import { type FromCompletionThread, REASONING, TEXT, type ToCompletionThread } from './completion-messages.ts';

const port = parentPort;
if (!port) throw new Error('completion-worker.ts runs as a worker thread');

const running = new Map<number, AbortController>();
let pieces: Array<number | string> = [];
let flushQueued = false;

const post = (message: FromCompletionThread) => port.postMessage(message);

function flush(): void {
  flushQueued = false;
  if (pieces.length === 0) return;
  const batch = pieces;
  pieces = [];
  post({ type: 'pieces', pieces: batch });
}

function piece(id: number, kind: number, text: string): void {
  pieces.push(id, kind, text);
  if (!flushQueued) {
    flushQueued = true;
    setImmediate(flush);
  }
}

port.on('message', (message: ToCompletionThread) => {
  if (message.type === 'abort') {
    running.get(message.id)?.abort(new ProviderError(message.kind, message.message));
    return;
  }
  const { id, request } = message;
  const controller = new AbortController();
  running.set(id, controller);
  void runCompletion({
    adapter: adapterFor(request.model),
    request,
    signal: controller.signal,
    onText: (text) => piece(id, TEXT, text),
    onReasoning: (text) => piece(id, REASONING, text),
  }).then((result) => {
    running.delete(id);
    // The answer's last pieces go out before its end.
    flush();
    post({ type: 'done', id, result });
  });
});
