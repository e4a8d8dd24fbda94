/**
 * Separates `<think>…</think>` reasoning from the answer in streamed text, the way R1-style models
 * served raw (Ollama, llama.cpp, vLLM without a reasoning parser) put it inside `content`.
 *
 * Pure and incremental: tags may be split anywhere across pieces (`<th` + `ink>`), so a tail that
 * could still become a tag is held back until the next piece decides it. Whitespace right after a
 * tag is dropped (models write `<think>\n` and `</think>\n\n`), and whitespace before an opening
 * tag at the very start of the answer is dropped too; anything else is passed through unchanged.
 */

export interface ThinkPiece {
  type: 'text' | 'reasoning';
  text: string;
}

const OPEN = '<think>';
const CLOSE = '</think>';

export class ThinkSplitter {
  #inThink = false;
  /** Unprocessed tail that may be the beginning of the next tag. */
  #pending = '';
  /** Leading whitespace of the answer, held until we know whether `<think>` follows it. */
  #held = '';
  #answerStarted = false;
  #dropLeadingSpace = false;

  /** Feeds one streamed piece; returns the pieces that are now certain, in order. */
  push(chunk: string): ThinkPiece[] {
    const out: ThinkPiece[] = [];
    let buf = this.#pending + chunk;
    this.#pending = '';
    for (;;) {
      const tag = this.#inThink ? CLOSE : OPEN;
      const at = buf.indexOf(tag);
      if (at === -1) {
        const keep = partialTagLength(buf, tag);
        this.#emit(out, buf.slice(0, buf.length - keep));
        this.#pending = buf.slice(buf.length - keep);
        return out;
      }
      this.#emit(out, buf.slice(0, at));
      buf = buf.slice(at + tag.length);
      if (!this.#inThink) this.#held = '';
      this.#inThink = !this.#inThink;
      this.#dropLeadingSpace = true;
    }
  }

  /** Call once the stream has ended: releases whatever was held back. */
  flush(): ThinkPiece[] {
    const out: ThinkPiece[] = [];
    this.#emit(out, this.#pending);
    this.#pending = '';
    if (this.#held) out.push({ type: 'text', text: this.#held });
    this.#held = '';
    return out;
  }

  #emit(out: ThinkPiece[], raw: string): void {
    let text = raw;
    if (this.#dropLeadingSpace) {
      text = text.replace(/^\s+/, '');
      if (!text) return;
      this.#dropLeadingSpace = false;
    }
    if (!text) return;
    if (!this.#inThink && !this.#answerStarted) {
      if (/^\s*$/.test(text)) {
        this.#held += text;
        return;
      }
      text = this.#held + text;
      this.#held = '';
      this.#answerStarted = true;
    }
    const type = this.#inThink ? 'reasoning' : 'text';
    const last = out[out.length - 1];
    if (last?.type === type) last.text += text;
    else out.push({ type, text });
  }
}

/** Length of the longest suffix of `buf` that is a proper prefix of `tag`. */
function partialTagLength(buf: string, tag: string): number {
  for (let n = Math.min(tag.length - 1, buf.length); n > 0; n--) {
    if (buf.endsWith(tag.slice(0, n))) return n;
  }
  return 0;
}
