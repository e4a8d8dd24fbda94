/**
 * Derived battles (import-derive.ts) as they travel from the import's reader thread to the
 * writing one: in columns, the repeated values (model names, voters, category lists) sent once
 * each and then referred to by number, so a batch of thousands of battles is a few typed arrays
 * and two arrays of strings to copy, not thousands of objects. Pure.
 */
import { WINNERS } from '../../protocol/types.ts';
import type { DerivedBattle, ImportedTurn } from './import-derive.ts';

/** Battles per batch. */
export const BATCH_ROWS = 4_096;
/** Numbers per battle in `refs`: model A, model B, voter, category list. */
const REFS = 4;

export interface DerivedBatch {
  kind: 'batch';
  /** What the tables gain before this batch's rows (which may refer to it). */
  names: string[];
  voters: string[];
  categoryLists: Array<DerivedBattle['categories']>;
  ids: string[];
  refs: Int32Array;
  /** Float64: a file's `turn` may be any positive integer. */
  turns: Float64Array;
  /** Index in WINNERS, and 1 for a named battle, per row. */
  winner: Uint8Array;
  named: Uint8Array;
  at: Float64Array;
  promptHashes: string[];
  /** Rows with a conversation or a question id (few in most files). */
  extras: Array<{ row: number; conversation: ImportedTurn[]; questionId: string | null }>;
}

const NO_TURNS: ImportedTurn[] = [];
const WINNER_CODE = new Map<string, number>(WINNERS.map((w, i) => [w, i]));

/** A number for each distinct value, assigned on first sight; the new ones since the last `taken()`. */
class Dictionary<T> {
  readonly #numbers = new Map<unknown, number>();
  #added: T[] = [];

  constructor(readonly keyOf: (value: T) => unknown) {}

  numberOf(value: T): number {
    const key = this.keyOf(value);
    let n = this.#numbers.get(key);
    if (n === undefined) {
      n = this.#numbers.size;
      this.#numbers.set(key, n);
      this.#added.push(value);
    }
    return n;
  }

  taken(): T[] {
    const added = this.#added;
    this.#added = [];
    return added;
  }
}

/** Reader side: collects derived battles into batches. */
export class BatchEncoder {
  readonly #names = new Dictionary<string>((name) => name);
  readonly #voters = new Dictionary<string>((voter) => voter);
  // Shared (frozen) lists are the same object from record to record: by identity, else by content.
  readonly #lists = new Dictionary<DerivedBattle['categories']>((list) => (Object.isFrozen(list) ? list : list.join('\n')));
  #batch = this.#empty();
  #rows = 0;

  get size(): number {
    return this.#rows;
  }

  push(b: DerivedBattle): void {
    const batch = this.#batch;
    const row = this.#rows++;
    const refs = row * REFS;
    batch.refs[refs] = this.#names.numberOf(b.nameA);
    batch.refs[refs + 1] = this.#names.numberOf(b.nameB);
    batch.refs[refs + 2] = this.#voters.numberOf(b.voterId);
    batch.refs[refs + 3] = this.#lists.numberOf(b.categories);
    batch.ids.push(b.id);
    batch.turns[row] = b.turns;
    batch.winner[row] = WINNER_CODE.get(b.winner)!;
    batch.named[row] = b.named ? 1 : 0;
    batch.at[row] = b.at;
    batch.promptHashes.push(b.promptHash);
    if (b.conversation.length > 0 || b.questionId !== null) batch.extras.push({ row, conversation: b.conversation, questionId: b.questionId });
  }

  /** The batch so far (with the buffers to transfer), and a new one started. */
  take(): { batch: DerivedBatch; transfer: ArrayBuffer[] } {
    const batch = this.#batch;
    const n = this.#rows;
    batch.names = this.#names.taken();
    batch.voters = this.#voters.taken();
    batch.categoryLists = this.#lists.taken();
    batch.refs = batch.refs.slice(0, n * REFS);
    batch.turns = batch.turns.slice(0, n);
    batch.winner = batch.winner.slice(0, n);
    batch.named = batch.named.slice(0, n);
    batch.at = batch.at.slice(0, n);
    this.#batch = this.#empty();
    this.#rows = 0;
    return { batch, transfer: [batch.refs.buffer, batch.turns.buffer, batch.winner.buffer, batch.named.buffer, batch.at.buffer] as ArrayBuffer[] };
  }

  #empty(): DerivedBatch {
    return {
      kind: 'batch',
      names: [],
      voters: [],
      categoryLists: [],
      ids: [],
      refs: new Int32Array(BATCH_ROWS * REFS),
      turns: new Float64Array(BATCH_ROWS),
      winner: new Uint8Array(BATCH_ROWS),
      named: new Uint8Array(BATCH_ROWS),
      at: new Float64Array(BATCH_ROWS),
      promptHashes: [],
      extras: [],
    };
  }
}

/** Writer side: turns batches back into derived battles, in the reader's order. */
export class BatchDecoder {
  readonly #names: string[] = [];
  readonly #voters: string[] = [];
  readonly #lists: Array<DerivedBattle['categories']> = [];

  forEach(batch: DerivedBatch, onBattle: (b: DerivedBattle) => void): void {
    this.#names.push(...batch.names);
    this.#voters.push(...batch.voters);
    // Frozen again on this side: the writer keeps the JSON of shared lists (import-store.ts).
    for (const list of batch.categoryLists) this.#lists.push(Object.freeze(list));
    let extra = 0;
    for (let row = 0; row < batch.ids.length; row++) {
      const refs = row * REFS;
      const extras = batch.extras[extra]?.row === row ? batch.extras[extra++] : undefined;
      onBattle({
        id: batch.ids[row]!,
        nameA: this.#names[batch.refs[refs]!]!,
        nameB: this.#names[batch.refs[refs + 1]!]!,
        voterId: this.#voters[batch.refs[refs + 2]!]!,
        categories: this.#lists[batch.refs[refs + 3]!]!,
        turns: batch.turns[row]!,
        conversation: extras?.conversation ?? NO_TURNS,
        winner: WINNERS[batch.winner[row]!]!,
        named: batch.named[row] === 1,
        promptHash: batch.promptHashes[row]!,
        at: batch.at[row]!,
        questionId: extras?.questionId ?? null,
      });
    }
  }
}
