/**
 * A fast path for the common battle line: a flat JSON object of scalars, read straight from the
 * file's bytes. It validates the JSON grammar as it goes and returns null — "use JSON.parse" — for
 * anything it does not handle (escapes, nested values, a field it must not judge, invalid input).
 * So, with the fallback, the result always equals JSON.parse restricted to the kept fields. It
 * wins by not decoding the line, not building strings for fields nobody reads, and returning the
 * same string object for repeated values (model names), which also makes interning them cheap.
 */

/**
 * What to do with a key: keep its value; only require a JSON type (the record validator's rule),
 * without decoding; or give the line to JSON.parse whenever the key appears.
 */
export type FieldRule = 'keep' | 'string' | 'string-or-number' | 'fallback';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;

/** Largest mantissa for which m / 10^k is exactly JSON.parse's correctly rounded result. */
const EXACT_MANTISSA = 2 ** 53;
const EXACT_POWERS = Array.from({ length: 23 }, (_, k) => 10 ** k); // 10^0..10^22 are exact doubles
const MAX_INTERNED = 1 << 16;

interface Interned {
  bytes: Uint8Array;
  text: string;
}

export class FlatJsonLineScanner {
  readonly #rules = new Map<number, Array<{ key: string; bytes: Uint8Array; rule: FieldRule }>>();
  readonly #interned = new Map<number, Interned[]>();
  #internedCount = 0;
  // Set by the value scanners: where the value ended, and its hash for strings.
  #end = 0;
  #hash = 0;

  constructor(rules: Record<string, FieldRule>) {
    for (const [key, rule] of Object.entries(rules)) {
      const bytes = Buffer.from(key, 'utf8');
      const hash = hashBytes(bytes, 0, bytes.length);
      const bucket = this.#rules.get(hash) ?? [];
      bucket.push({ key, bytes, rule });
      this.#rules.set(hash, bucket);
    }
  }

  /** The kept fields of the object in buf[start, end), or null to fall back to JSON.parse. */
  scan(buf: Buffer, start: number, end: number): Record<string, unknown> | null {
    let i = skipWhitespace(buf, start, end);
    if (i >= end || buf[i] !== OPEN_BRACE) return null;
    i = skipWhitespace(buf, i + 1, end);
    const out: Record<string, unknown> = {};
    if (i < end && buf[i] === CLOSE_BRACE) return skipWhitespace(buf, i + 1, end) === end ? out : null;
    for (;;) {
      if (i >= end || buf[i] !== QUOTE || !this.#scanString(buf, i + 1, end)) return null;
      const field = this.#ruleFor(buf, i + 1, this.#end - 1);
      i = skipWhitespace(buf, this.#end, end);
      if (i >= end || buf[i] !== COLON) return null;
      i = skipWhitespace(buf, i + 1, end);
      if (i >= end) return null;

      const c = buf[i]!;
      let value: unknown;
      let kind: 'string' | 'number' | 'literal';
      if (c === QUOTE) {
        if (!this.#scanString(buf, i + 1, end)) return null;
        if (field?.rule === 'keep') value = this.#intern(buf, i + 1, this.#end - 1);
        kind = 'string';
      } else if (c === MINUS || (c >= ZERO && c <= NINE)) {
        value = this.#scanNumber(buf, i, end);
        if (Number.isNaN(value)) return null;
        kind = 'number';
      } else {
        value = scanLiteral(buf, i, end);
        if (value === undefined) return null; // nested object or array, or not JSON
        this.#end = i + (value === false ? 5 : 4);
        kind = 'literal';
      }
      if (field) {
        if (field.rule === 'fallback') return null;
        if (field.rule === 'string' && kind !== 'string') return null;
        if (field.rule === 'string-or-number' && kind === 'literal') return null;
        if (field.rule === 'keep') out[field.key] = value; // a repeated key keeps its last value, as in JSON.parse
      }

      i = skipWhitespace(buf, this.#end, end);
      if (i >= end) return null;
      if (buf[i] === COMMA) {
        i = skipWhitespace(buf, i + 1, end);
      } else if (buf[i] === CLOSE_BRACE) {
        return skipWhitespace(buf, i + 1, end) === end ? out : null;
      } else {
        return null;
      }
    }
  }

  /** Scans a string body from `i` (after the quote); false on escapes, control bytes or no close. */
  #scanString(buf: Buffer, i: number, end: number): boolean {
    let hash = 0x811c9dc5;
    for (; i < end; i++) {
      const c = buf[i]!;
      if (c === QUOTE) {
        this.#end = i + 1;
        this.#hash = hash;
        return true;
      }
      if (c === BACKSLASH || c < 0x20) return false;
      hash = Math.imul(hash ^ c, 0x01000193);
    }
    return false;
  }

  #ruleFor(buf: Buffer, start: number, stop: number) {
    const bucket = this.#rules.get(this.#hash);
    return bucket?.find((r) => sameBytes(r.bytes, buf, start, stop)) ?? null;
  }

  /** Decoded once per distinct value; afterwards the same string object is returned. */
  #intern(buf: Buffer, start: number, stop: number): string {
    const bucket = this.#interned.get(this.#hash);
    if (bucket) for (const entry of bucket) if (sameBytes(entry.bytes, buf, start, stop)) return entry.text;
    const text = buf.toString('utf8', start, stop);
    if (this.#internedCount < MAX_INTERNED) {
      const entry = { bytes: new Uint8Array(buf.subarray(start, stop)), text };
      if (bucket) bucket.push(entry);
      else this.#interned.set(this.#hash, [entry]);
      this.#internedCount++;
    }
    return text;
  }

  /** A number in strict JSON grammar; NaN if it is not one. Exact: see EXACT_MANTISSA. */
  #scanNumber(buf: Buffer, start: number, end: number): number {
    let i = start;
    const negative = buf[i] === MINUS;
    if (negative) i++;
    let mantissa = 0;
    let digits = 0;
    if (i < end && buf[i] === ZERO) {
      i++;
    } else {
      for (; i < end && isDigit(buf[i]!); i++, digits++) mantissa = mantissa * 10 + (buf[i]! - ZERO);
      if (digits === 0) return NaN;
    }
    let fractionDigits = 0;
    if (i < end && buf[i] === DOT) {
      i++;
      for (; i < end && isDigit(buf[i]!); i++, fractionDigits++) mantissa = mantissa * 10 + (buf[i]! - ZERO);
      if (fractionDigits === 0) return NaN;
    }
    let exponent = false;
    if (i < end && (buf[i] === LOWER_E || buf[i] === UPPER_E)) {
      exponent = true;
      i++;
      if (i < end && (buf[i] === PLUS || buf[i] === MINUS)) i++;
      const first = i;
      while (i < end && isDigit(buf[i]!)) i++;
      if (i === first) return NaN;
    }
    this.#end = i;
    if (!exponent && mantissa <= EXACT_MANTISSA && fractionDigits < EXACT_POWERS.length) {
      const value = mantissa / EXACT_POWERS[fractionDigits]!;
      return negative ? -value : value;
    }
    return Number(buf.toString('latin1', start, i));
  }
}

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

function skipWhitespace(buf: Buffer, i: number, end: number): number {
  while (i < end) {
    const c = buf[i]!;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
    i++;
  }
  return i;
}

const LITERALS: Array<[Uint8Array, boolean | null]> = [
  [Buffer.from('true'), true],
  [Buffer.from('false'), false],
  [Buffer.from('null'), null],
];

function scanLiteral(buf: Buffer, i: number, end: number): boolean | null | undefined {
  for (const [bytes, value] of LITERALS) {
    if (i + bytes.length <= end && sameBytes(bytes, buf, i, i + bytes.length)) return value;
  }
  return undefined;
}

function sameBytes(expected: Uint8Array, buf: Uint8Array, start: number, stop: number): boolean {
  if (stop - start !== expected.length) return false;
  for (let k = 0; k < expected.length; k++) if (buf[start + k] !== expected[k]) return false;
  return true;
}

function hashBytes(bytes: Uint8Array, start: number, stop: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < stop; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  return hash;
}
