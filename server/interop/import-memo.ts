/**
 * What `arena import battles` derives from each record, with the work a file repeats done once
 * (pure; no I/O): the record's battle id (a hash of its canonical JSON and of how many identical
 * records came before it), its voter id (a hash of the judge, once per judge), and the categories
 * of records without a conversation (a function of a few fields that take few distinct values).
 */
import { hash } from 'node:crypto';
import type { CategoryId } from '../../protocol/standings.ts';
import { type CategoryOptions, categorize } from '../standings/categories.ts';
import { categoryHintsOf } from './battle-categories.ts';
import type { BattleRecord } from './battle-record.ts';
import { DIGEST_CHARS, DigestCounter } from './digest-counter.ts';

/** Voter id of imported votes; the judge (if any) is hashed, never stored as given. */
export const IMPORT_VOTER_PREFIX = 'import:';

const NO_CONVERSATION = { prompts: [], answers: [] };

interface KeyOrder {
  /** The record's keys in its own order. */
  keys: string[];
  /** `"key":` for each key, in sorted order, with the key's index in the record's own order. */
  prefixes: string[];
  order: number[];
}

/** True when both lists hold the same keys in the same order. */
function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class RecordMemo {
  readonly categoryOptions: CategoryOptions;
  /** Key order of records with these keys (a file's records mostly share one). */
  readonly #keyOrders = new Map<string, KeyOrder>();
  #lastKeyOrder: KeyOrder | undefined;
  /**
   * How many records with the same content came before, by the digest the first of them got its
   * id from: 144 bits of a hash of the content, so it stands for the content without keeping its text.
   */
  readonly #occurrences = new DigestCounter();
  readonly #voters = new Map<string, string>();
  readonly #categories = new Map<string, readonly CategoryId[]>();

  constructor(categoryOptions: CategoryOptions) {
    this.categoryOptions = categoryOptions;
  }

  /** Top-level keys sorted, so the same battle hashes the same whatever order its fields were written in. */
  canonicalJson(record: BattleRecord): string {
    const keys = Object.keys(record);
    // Most records have the keys of the one before: compared key by key, without a signature string.
    let keyOrder = this.#lastKeyOrder;
    if (keyOrder === undefined || !sameKeys(keyOrder.keys, keys)) {
      const signature = keys.join('\n');
      keyOrder = this.#keyOrders.get(signature);
      if (keyOrder === undefined) {
        const order = keys.map((_, i) => i).sort((x, y) => (keys[x]! < keys[y]! ? -1 : keys[x]! > keys[y]! ? 1 : 0));
        keyOrder = { keys, order, prefixes: order.map((i) => `${JSON.stringify(keys[i])}:`) };
        if (this.#keyOrders.size < 1_000) this.#keyOrders.set(signature, keyOrder);
      }
      this.#lastKeyOrder = keyOrder;
    }
    let out = '{';
    for (let j = 0; j < keyOrder.order.length; j++) {
      if (j > 0) out += ',';
      out += keyOrder.prefixes[j]! + jsonOf(record[keys[keyOrder.order[j]!]!]);
    }
    return `${out}}`;
  }

  /** The battle id of the next record with this canonical content (the n-th identical one gets the n-th id). */
  battleId(content: string): string {
    const first = digestOf(content, 0);
    const seen = this.#occurrences.next(first);
    return idOf(seen === 0 ? first : digestOf(content, seen));
  }

  voterId(judge: string | undefined): string {
    if (judge === undefined) return `${IMPORT_VOTER_PREFIX}unknown`;
    let id = this.#voters.get(judge);
    if (id === undefined) {
      id = IMPORT_VOTER_PREFIX + hash('sha256', judge, 'hex').slice(0, 16);
      this.#voters.set(judge, id);
    }
    return id;
  }

  /**
   * The categories of a record without a conversation: decided by its hints alone, so computed
   * once per distinct hint fields. The lists are frozen (shared between votes).
   */
  categoriesWithoutConversation(record: BattleRecord): readonly CategoryId[] {
    const key = hintKey(record);
    let categories = this.#categories.get(key);
    if (categories === undefined) {
      categories = Object.freeze(categorize(NO_CONVERSATION, this.categoryOptions, categoryHintsOf(record)));
      if (this.#categories.size < 10_000) this.#categories.set(key, categories);
    }
    return categories;
  }
}

/**
 * A key for the fields categoryHintsOf reads: records with the same key get the same hints. The
 * usual record (a language string, is_code, turn, no tags) gets a short one, any other the JSON
 * of the fields (which starts with '[': the two kinds never meet; null and undefined give the same
 * hints, and so may share a key).
 */
function hintKey(record: BattleRecord): string {
  const { language, is_code: isCode, turn } = record;
  if (record.category_tag === undefined && record.category === undefined && (language === undefined || typeof language === 'string')) {
    if ((isCode === undefined || typeof isCode === 'boolean') && (turn === undefined || typeof turn === 'number')) {
      // Fixed-format fields first, the free text last (whatever it holds cannot shift them).
      return `${turn}|${isCode}|${language === undefined ? '' : `=${language}`}`;
    }
  }
  return JSON.stringify([language, isCode, turn, record.category_tag, record.category]);
}

/** True when JSON.stringify writes some character of `text` escaped: a quote, a backslash, a control character or a surrogate. */
function needsEscape(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return true;
  }
  return false;
}

/** JSON.stringify(value), without its general machinery for the plain strings and numbers most fields hold. */
function jsonOf(value: unknown): string {
  if (typeof value === 'string') return needsEscape(value) ? JSON.stringify(value) : `"${value}"`;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return JSON.stringify(value);
}

/** The first 144 bits of the content's sha256 (and of how many identical records came before), in base64url. */
function digestOf(content: string, seen: number): string {
  return hash('sha256', `${content}\n${seen}`, 'base64url').slice(0, DIGEST_CHARS);
}

function idOf(digest: string): string {
  return `imp-${digest}`;
}
