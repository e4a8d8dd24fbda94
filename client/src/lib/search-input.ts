/**
 * When a search box asks: a pause after typing, Enter at once, and never in the middle of an IME
 * composition. Korean (and Japanese, Chinese) input builds each syllable through several
 * intermediate states (ㅋ → 코 → 콛 → 코딩): searching on those would send half-typed words.
 */

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** The text a search sends: composed Hangul (NFC, as pasted NFD text may not be), trimmed. */
export function searchText(raw: string): string {
  return raw.normalize('NFC').trim();
}

export class DebouncedSearch {
  readonly #onsearch: (text: string) => void;
  readonly #delayMs: number;
  readonly #timers: Timers;
  #composing = false;
  #timer: unknown = null;
  #last: string;

  /** `initial`: the text already searched for (the box's starting value), not asked again. */
  constructor(onsearch: (text: string) => void, opts: { delayMs?: number; timers?: Timers; initial?: string } = {}) {
    this.#onsearch = onsearch;
    this.#delayMs = opts.delayMs ?? 300;
    this.#timers = opts.timers ?? realTimers;
    this.#last = searchText(opts.initial ?? '');
  }

  get composing(): boolean {
    return this.#composing;
  }

  /** An `input` event; `isComposing` is the event's own flag (true while an IME composes). */
  input(text: string, isComposing = false): void {
    if (isComposing || this.#composing) return;
    this.#schedule(text);
  }

  compositionStart(): void {
    this.#composing = true;
    this.#cancel();
  }

  /** The IME committed its text: the word is whole now. */
  compositionEnd(text: string): void {
    this.#composing = false;
    this.#schedule(text);
  }

  /** Enter or the search button: at once, unless Enter only confirmed a composition. */
  submit(text: string): void {
    if (this.#composing) return;
    this.#cancel();
    this.#fire(text);
  }

  cancel(): void {
    this.#cancel();
  }

  #schedule(text: string): void {
    this.#cancel();
    this.#timer = this.#timers.setTimeout(() => {
      this.#timer = null;
      this.#fire(text);
    }, this.#delayMs);
  }

  #cancel(): void {
    if (this.#timer === null) return;
    this.#timers.clearTimeout(this.#timer);
    this.#timer = null;
  }

  #fire(raw: string): void {
    const text = searchText(raw);
    if (text === this.#last) return;
    this.#last = text;
    this.#onsearch(text);
  }
}
