/**
 * Line layouts for the fast battle reader (battle-scan.ts). A battle file is written by one program,
 * so its lines share one layout: the same keys in the same order with the same spacing. Learned from
 * a line JSON.parse accepted, a layout becomes one sticky regular expression that accepts exactly
 * the lines JSON.parse and the validation would accept in that layout (every value's grammar and
 * every validated field's rule written into it), capturing only the fields the ratings need.
 */

import type { FilterField } from '../ratings/filters.ts';

/** The optional fields of FilterableBattle a reader can capture. */
export type RatingField = FilterField;
export const RATING_FIELDS: readonly RatingField[] = ['anony', 'language', 'turn', 'tstamp', 'evaluation_id'];

/** Which capture group holds each field (0: not captured). */
export interface LayoutGroups {
  modelA: number;
  modelB: number;
  winner: number;
  anony: number;
  language: number;
  turn: number;
  tstamp: number;
  /** evaluation_id written as a string, or as a number. */
  evaluationText: number;
  evaluationNumber: number;
}

export interface Layout {
  regex: RegExp;
  groups: LayoutGroups;
}

const SPACE = '[ \\t\\r]*';
/** A character a JSON string may hold as it is (no quote, backslash or control character). */
const PLAIN_CHAR = '[^"\\\\\\x00-\\x1f]';
/** Any JSON string (RFC 8259 escapes), written as runs of plain characters between escapes. */
const ANY_STRING = `"${PLAIN_CHAR}*(?:\\\\(?:["\\\\/bfnrt]|u[0-9a-fA-F]{4})${PLAIN_CHAR}*)*"`;
const NUMBER = '-?(?:0|[1-9]\\d*)(?:\\.\\d+)?(?:[eE][+-]?\\d+)?';
/** A number that is surely finite (at most 200 digits before the point, a two-digit exponent). */
const FINITE_NUMBER = '-?(?:0|[1-9]\\d{0,199})(?:\\.\\d+)?(?:[eE][+-]?\\d{1,2})?';
/** A positive integer written plainly, small enough to be exact. */
const POSITIVE_INTEGER = '[1-9]\\d{0,14}';
const STRING_ARRAY = `\\[${SPACE}(?:${ANY_STRING}(?:${SPACE},${SPACE}${ANY_STRING})*)?${SPACE}\\]`;
const SCALAR = `(?:${ANY_STRING}|${NUMBER}|true|false|null)`;

/** One member of a line being learned: space, key, colon part, value, space, then ',' or '}'. */
const MEMBER = new RegExp(`(${SPACE})"(${PLAIN_CHAR}*)"(${SPACE}:${SPACE})(${SCALAR}|${STRING_ARRAY})(${SPACE})([,}])`, 'y');
const OPENING = new RegExp(`${SPACE}\\{`, 'y');
const TRAILING = new RegExp(`${SPACE}$`, 'y');

const escapeRegex = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

/**
 * The layout of `line` (one JSON object that JSON.parse and the validation accepted), or null when
 * its values do not fit a regular expression (conversations, nested objects, escaped keys,
 * repeated keys): such lines stay with JSON.parse.
 */
export function learnLayout(line: string, fields: ReadonlySet<RatingField>): Layout | null {
  OPENING.lastIndex = 0;
  if (!OPENING.test(line)) return null;
  let source = `${SPACE}\\{`;
  let at = OPENING.lastIndex;
  let group = 0;
  const groups: LayoutGroups = { modelA: 0, modelB: 0, winner: 0, anony: 0, language: 0, turn: 0, tstamp: 0, evaluationText: 0, evaluationNumber: 0 };
  const seen = new Set<string>();
  const capture = (pattern: string) => {
    group++;
    return `(${pattern})`;
  };
  for (;;) {
    MEMBER.lastIndex = at;
    const member = MEMBER.exec(line);
    if (!member) return null;
    const [, before, key, colon, , after, end] = member as unknown as string[];
    if (seen.has(key!)) return null;
    seen.add(key!);
    let value: string;
    switch (key) {
      case 'model_a':
      case 'model_b':
        value = `"${capture(`${PLAIN_CHAR}+`)}"`;
        groups[key === 'model_a' ? 'modelA' : 'modelB'] = group;
        break;
      case 'winner':
        value = `"${capture('model_a|model_b|tie|tie \\(bothbad\\)')}"`;
        groups.winner = group;
        break;
      case 'anony':
        value = fields.has('anony') ? capture('true|false') : '(?:true|false)';
        groups.anony = fields.has('anony') ? group : 0;
        break;
      case 'language':
        value = fields.has('language') ? `"${capture(`${PLAIN_CHAR}*`)}"` : ANY_STRING;
        groups.language = fields.has('language') ? group : 0;
        break;
      case 'turn':
        value = fields.has('turn') ? capture(POSITIVE_INTEGER) : POSITIVE_INTEGER;
        groups.turn = fields.has('turn') ? group : 0;
        break;
      case 'tstamp':
        value = fields.has('tstamp') ? capture(FINITE_NUMBER) : FINITE_NUMBER;
        groups.tstamp = fields.has('tstamp') ? group : 0;
        break;
      case 'evaluation_id':
        if (fields.has('evaluation_id')) {
          value = `(?:"${capture(`${PLAIN_CHAR}*`)}"`;
          groups.evaluationText = group;
          value += `|${capture(NUMBER)})`;
          groups.evaluationNumber = group;
        } else {
          value = `(?:${ANY_STRING}|${NUMBER})`;
        }
        break;
      case 'judge':
        value = ANY_STRING;
        break;
      case 'question_id':
        value = `(?:${ANY_STRING}|${NUMBER})`;
        break;
      case 'categories':
        value = STRING_ARRAY;
        break;
      case 'conversation_a':
      case 'conversation_b':
        return null;
      default:
        value = `(?:${SCALAR}|${STRING_ARRAY})`;
    }
    source += `${escapeRegex(before!)}"${escapeRegex(key!)}"${escapeRegex(colon!)}${value}${escapeRegex(after!)}${escapeRegex(end!)}`;
    at = MEMBER.lastIndex;
    if (end === '}') break;
  }
  TRAILING.lastIndex = at;
  if (!TRAILING.test(line) || !seen.has('model_a') || !seen.has('model_b') || !seen.has('winner')) return null;
  return { regex: new RegExp(`${source}${SPACE}(?:\\n|$)`, 'y'), groups };
}
