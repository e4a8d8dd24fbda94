/**
 * Keeps the newest streamed text in view, as a chat does, until the reader scrolls up to read
 * (wheel, touch or keys: the reader's own gestures, never the scrolling this class does itself);
 * following resumes once they are back at the bottom.
 */
const NEAR_BOTTOM_PX = 96;
const UP_KEYS = new Set(['ArrowUp', 'PageUp', 'Home']);

export class StreamFollower {
  #pinned = true;
  readonly #unpin = () => {
    this.#pinned = false;
  };
  readonly #onWheel = (event: WheelEvent) => {
    if (event.deltaY < 0) this.#unpin();
  };
  readonly #onKey = (event: KeyboardEvent) => {
    if (UP_KEYS.has(event.key)) this.#unpin();
  };
  readonly #onScroll = () => {
    if (window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - NEAR_BOTTOM_PX) this.#pinned = true;
  };

  constructor() {
    window.addEventListener('wheel', this.#onWheel, { passive: true });
    window.addEventListener('touchmove', this.#unpin, { passive: true });
    window.addEventListener('keydown', this.#onKey);
    window.addEventListener('scroll', this.#onScroll, { passive: true });
  }

  /** Called after new text was rendered. */
  follow(): void {
    if (this.#pinned) window.scrollTo({ top: document.documentElement.scrollHeight });
  }

  /** A new turn starts pinned again. */
  reset(): void {
    this.#pinned = true;
  }

  destroy(): void {
    window.removeEventListener('wheel', this.#onWheel);
    window.removeEventListener('touchmove', this.#unpin);
    window.removeEventListener('keydown', this.#onKey);
    window.removeEventListener('scroll', this.#onScroll);
  }
}
