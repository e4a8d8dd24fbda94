/**
 * Runs synchronous tasks in order, a few milliseconds of them per turn of the event loop. A burst
 * of answers ending together (a class started at once) costs a millisecond or two each to store
 * (style columns, the row, the status); run back to back, they held up the pieces of every stream
 * still running for the whole burst. Between slices the loop reads the network again.
 */
export const SLICE_MS = 2;

export class TimeSlicer {
  readonly #sliceMs: number;
  readonly #queue: Array<() => void> = [];
  #scheduled = false;

  constructor(sliceMs = SLICE_MS) {
    this.#sliceMs = sliceMs;
  }

  /** Resolves with what `task` returns (rejects with what it throws) once its turn has come. */
  run<T>(task: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push(() => {
        try {
          resolve(task());
        } catch (err) {
          reject(err);
        }
      });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(this.#drain);
      }
    });
  }

  readonly #drain = (): void => {
    const until = performance.now() + this.#sliceMs;
    do this.#queue.shift()!();
    while (this.#queue.length > 0 && performance.now() < until);
    if (this.#queue.length > 0) setImmediate(this.#drain);
    else this.#scheduled = false;
  };
}
