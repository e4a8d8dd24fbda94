/** What the main thread and the completion thread (completion-worker.ts) tell each other. */
import type { CompletionResult, ProviderErrorKind, ProviderRequest } from '../providers/types.ts';

/** A request as it crosses to the thread: no signal (aborts are messages) and no injected fetch. */
export type ThreadRequest = Omit<ProviderRequest, 'signal' | 'fetch'>;

export type ToCompletionThread =
  | { type: 'start'; id: number; request: ThreadRequest }
  | { type: 'abort'; id: number; kind: ProviderErrorKind; message: string };

/** Piece kinds on the wire, a number each. */
export const TEXT = 0;
export const REASONING = 1;

export type FromCompletionThread =
  /** Every piece the thread read in one turn of its loop, for every answer: [id, kind, text, id, kind, text, …]. */
  | { type: 'pieces'; pieces: Array<number | string> }
  /** The answer's end; every piece of it came before. */
  | { type: 'done'; id: number; result: CompletionResult };
