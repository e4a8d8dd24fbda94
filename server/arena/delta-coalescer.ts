/**
 * Joins the pieces one side streams within one turn of the event loop, or one FlushWindow, into a
 * single `battle:delta` (a fast model or a burst from the network then costs one frame, not one
 * per token). Pieces stay in order: a switch between answer text and reasoning sends what came
 * before first. The wire contract is unchanged: each delta is the new text only.
 */
export type PieceKind = 'text' | 'reasoning';

/**
 * How long a piece may wait to be joined with others: the pieces of every side pending in the
 * process go out together at most this long after the first of them, so a battle's two sides
 * (and a fast model's tokens) share one write; small beside the 20 ms the delay is allowed.
 */
export const DELTA_WINDOW_MS = 5;

/**
 * One timer for all the coalescers of a process, never one per piece: the first pending piece
 * starts it, and when it fires every pending side is flushed, together, inside `around` (where
 * the transport corks the sockets written to: server/transport/corked-rooms.ts).
 */
export class FlushWindow {
  readonly #windowMs: number;
  readonly #around: (flushAll: () => void) => void;
  #due: Array<() => void> = [];
  #timer: NodeJS.Timeout | null = null;

  constructor(windowMs = DELTA_WINDOW_MS, around: (flushAll: () => void) => void = (flushAll) => flushAll()) {
    this.#windowMs = windowMs;
    this.#around = around;
  }

  /** A coalescer's `defer`: runs `flush` with the others when the window closes. */
  readonly defer = (flush: () => void): void => {
    this.#due.push(flush);
    this.#timer ??= setTimeout(this.#flushAll, this.#windowMs);
  };

  readonly #flushAll = (): void => {
    this.#timer = null;
    const due = this.#due;
    this.#due = [];
    this.#around(() => {
      for (const flush of due) flush();
    });
  };
}

export class DeltaCoalescer {
  readonly #send: (kind: PieceKind, text: string) => void;
  readonly #defer: (flush: () => void) => void;
  #kind: PieceKind = 'text';
  #pieces: string[] = [];
  #scheduled = false;

  /** `defer` runs the flush later (setImmediate by default: after this turn's I/O callbacks). */
  constructor(send: (kind: PieceKind, text: string) => void, defer: (flush: () => void) => void = (flush) => setImmediate(flush)) {
    this.#send = send;
    this.#defer = defer;
  }

  push(kind: PieceKind, text: string): void {
    if (text.length === 0) return;
    if (this.#pieces.length > 0 && kind !== this.#kind) this.flush();
    this.#kind = kind;
    this.#pieces.push(text);
    if (!this.#scheduled) {
      this.#scheduled = true;
      this.#defer(() => {
        this.#scheduled = false;
        this.flush();
      });
    }
  }

  /** Sends what is pending now (before the side's end goes out). */
  flush(): void {
    if (this.#pieces.length === 0) return;
    const text = this.#pieces.length === 1 ? this.#pieces[0]! : this.#pieces.join('');
    this.#pieces = [];
    this.#send(this.#kind, text);
  }
}
