/**
 * Joins the pieces one side streams within one turn of the event loop into a single `battle:delta`
 * (a fast model or a burst from the network then costs one frame, not one per token). Pieces stay
 * in order: a switch between answer text and reasoning sends what came before first. The wire
 * contract is unchanged: each delta is the new text only.
 */
export type PieceKind = 'text' | 'reasoning';

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
