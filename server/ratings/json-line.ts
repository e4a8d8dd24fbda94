/**
 * A fast path for the common battle line: a flat JSON object of scalars. It validates the JSON
 * grammar as it goes and returns null — "use JSON.parse" — for anything it does not handle
 * (nested values, escapes, invalid input), so with the fallback the result always equals
 * JSON.parse restricted to the wanted keys. It avoids building the objects and strings of
 * fields nobody reads, which is where JSON.parse spends its time on 10M-line files.
 */

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;

/** Top-level fields of `line` whose keys are in `wanted`, or null to fall back to JSON.parse. */
export function parseFlatObjectLine(line: string, wanted: ReadonlySet<string>): Record<string, unknown> | null {
  const end = line.length;
  let i = skipWhitespace(line, 0);
  if (line.charCodeAt(i) !== OPEN_BRACE) return null;
  i = skipWhitespace(line, i + 1);
  const out: Record<string, unknown> = {};
  if (line.charCodeAt(i) === CLOSE_BRACE) return skipWhitespace(line, i + 1) === end ? out : null;
  for (;;) {
    if (line.charCodeAt(i) !== QUOTE) return null;
    const keyEnd = plainStringEnd(line, i + 1);
    if (keyEnd < 0) return null;
    const key = line.slice(i + 1, keyEnd);
    i = skipWhitespace(line, keyEnd + 1);
    if (line.charCodeAt(i) !== COLON) return null;
    i = skipWhitespace(line, i + 1);

    const keep = wanted.has(key);
    const c = line.charCodeAt(i);
    let valueEnd: number;
    let value: unknown;
    if (c === QUOTE) {
      const close = plainStringEnd(line, i + 1);
      if (close < 0) return null;
      if (keep) value = line.slice(i + 1, close);
      valueEnd = close + 1;
    } else if (c === MINUS || (c >= ZERO && c <= NINE)) {
      valueEnd = numberEnd(line, i);
      if (valueEnd < 0) return null;
      if (keep) value = Number(line.slice(i, valueEnd));
    } else if (line.startsWith('true', i)) {
      value = true;
      valueEnd = i + 4;
    } else if (line.startsWith('false', i)) {
      value = false;
      valueEnd = i + 5;
    } else if (line.startsWith('null', i)) {
      value = null;
      valueEnd = i + 4;
    } else {
      return null; // nested object or array, or not JSON
    }
    if (keep) out[key] = value; // a repeated key keeps its last value, as in JSON.parse

    i = skipWhitespace(line, valueEnd);
    const next = line.charCodeAt(i);
    if (next === COMMA) {
      i = skipWhitespace(line, i + 1);
    } else if (next === CLOSE_BRACE) {
      return skipWhitespace(line, i + 1) === end ? out : null;
    } else {
      return null;
    }
  }
}

function skipWhitespace(s: string, i: number): number {
  for (;;) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10) return i;
    i++;
  }
}

/** Index of the closing quote of a string without escapes or control characters; −1 otherwise. */
function plainStringEnd(s: string, i: number): number {
  for (;;) {
    const c = s.charCodeAt(i);
    if (c === QUOTE) return i;
    if (c === BACKSLASH || c < 32 || Number.isNaN(c)) return -1;
    i++;
  }
}

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

/** End of a number in strict JSON grammar starting at i, or −1 if it is not one. */
function numberEnd(s: string, i: number): number {
  if (s.charCodeAt(i) === MINUS) i++;
  if (s.charCodeAt(i) === ZERO) i++;
  else if (isDigit(s.charCodeAt(i))) while (isDigit(s.charCodeAt(i))) i++;
  else return -1;
  if (s.charCodeAt(i) === DOT) {
    i++;
    if (!isDigit(s.charCodeAt(i))) return -1;
    while (isDigit(s.charCodeAt(i))) i++;
  }
  const e = s.charCodeAt(i);
  if (e === 101 || e === 69) {
    i++;
    const sign = s.charCodeAt(i);
    if (sign === 43 || sign === MINUS) i++;
    if (!isDigit(s.charCodeAt(i))) return -1;
    while (isDigit(s.charCodeAt(i))) i++;
  }
  return i;
}
