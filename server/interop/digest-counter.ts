/**
 * How many times each 144-bit digest, written as 24 base64url characters, was seen (pure): an
 * open-addressing table in typed arrays, so a million battle ids cost a few megabytes and no
 * garbage, where a Map of their strings cost twice the time of hashing them. Exact: the whole key
 * is stored and compared.
 */

export const DIGEST_CHARS = 24;
/** A key as words of five characters' 6-bit values (30 bits; the last word holds four). */
const CHARS_PER_WORD = 5;
const WORDS = 5;
/** 6-bit value of each base64url character, -1 for any other. */
const VALUE = new Int8Array(128).fill(-1);
for (const [i, c] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'].entries()) VALUE[c.charCodeAt(0)] = i;

function word(digest: string, w: number): number {
  let value = 0;
  for (let i = w * CHARS_PER_WORD, end = Math.min(i + CHARS_PER_WORD, DIGEST_CHARS); i < end; i++) {
    const code = digest.charCodeAt(i);
    const v = code < 128 ? VALUE[code]! : -1;
    if (v < 0) throw new RangeError(`not a base64url digest: ${digest}`);
    value = value * 64 + v;
  }
  return value;
}
const MAX_LOAD = 0.5;

export class DigestCounter {
  #capacity = 1 << 12;
  #keys = new Uint32Array(this.#capacity * WORDS);
  /** Times seen; 0 marks an empty slot. */
  #counts = new Uint32Array(this.#capacity);
  #size = 0;

  /** How many times `digest` (24 base64url characters) was counted before this call, which counts it once more. */
  next(digest: string): number {
    if (digest.length !== DIGEST_CHARS) throw new RangeError(`a digest of ${DIGEST_CHARS} base64url characters is needed`);
    const w0 = word(digest, 0);
    const w1 = word(digest, 1);
    const w2 = word(digest, 2);
    const w3 = word(digest, 3);
    const w4 = word(digest, 4);
    const slot = this.#find(w0, w1, w2, w3, w4);
    const seen = this.#counts[slot]!;
    if (seen === 0) {
      const at = slot * WORDS;
      this.#keys[at] = w0;
      this.#keys[at + 1] = w1;
      this.#keys[at + 2] = w2;
      this.#keys[at + 3] = w3;
      this.#keys[at + 4] = w4;
      this.#size++;
    }
    this.#counts[slot] = seen + 1;
    if (seen === 0 && this.#size > this.#capacity * MAX_LOAD) this.#grow();
    return seen;
  }

  /** The slot holding this key, or the empty slot where it belongs (linear probing; a digest's words are uniform). */
  #find(w0: number, w1: number, w2: number, w3: number, w4: number): number {
    const mask = this.#capacity - 1;
    const keys = this.#keys;
    for (let slot = w0 & mask; ; slot = (slot + 1) & mask) {
      if (this.#counts[slot] === 0) return slot;
      const at = slot * WORDS;
      if (keys[at] === w0 && keys[at + 1] === w1 && keys[at + 2] === w2 && keys[at + 3] === w3 && keys[at + 4] === w4) return slot;
    }
  }

  #grow(): void {
    const oldKeys = this.#keys;
    const oldCounts = this.#counts;
    this.#capacity *= 2;
    this.#keys = new Uint32Array(this.#capacity * WORDS);
    this.#counts = new Uint32Array(this.#capacity);
    for (let old = 0; old < oldCounts.length; old++) {
      const count = oldCounts[old]!;
      if (count === 0) continue;
      const from = old * WORDS;
      const slot = this.#find(oldKeys[from]!, oldKeys[from + 1]!, oldKeys[from + 2]!, oldKeys[from + 3]!, oldKeys[from + 4]!);
      this.#keys.set(oldKeys.subarray(from, from + WORDS), slot * WORDS);
      this.#counts[slot] = count;
    }
  }
}
