/**
 * Compact battle storage: model names interned to integer ids, battles as typed-array columns
 * (order kept, since online Elo depends on it), and the aggregated win/tie tables that
 * Bradley-Terry and the bootstrap work from.
 */
import { BATTLE_OUTCOMES, type BattleOutcome, type BattleResult, OUTCOME_CODE } from './outcomes.ts';

/** Battles in their original order; `modelA[k]`, `modelB[k]` index into `models`. */
export interface BattleColumns {
  readonly models: readonly string[];
  readonly length: number;
  readonly modelA: Int32Array;
  readonly modelB: Int32Array;
  /** OUTCOME_CODE values. */
  readonly outcome: Uint8Array;
}

/**
 * Aggregated results for m models, row-major m×m tables. Counts are stored as doubles so that
 * bootstrap resamples and the full data share one type.
 */
export interface BattleCounts {
  readonly models: readonly string[];
  /** wins[i*m+j]: battles model i won against model j, whichever side it was on. */
  readonly wins: Float64Array;
  /** ties[i*m+j] === ties[j*m+i]: tied battles (both kinds) between i and j. */
  readonly ties: Float64Array;
  /** Total number of battles counted. */
  readonly battles: number;
}

/** Interns model names to dense integer ids, in order of first appearance. */
export class ModelIndex {
  readonly #ids = new Map<string, number>();
  readonly #names: string[] = [];

  get size(): number {
    return this.#names.length;
  }

  idOf(model: string): number {
    let id = this.#ids.get(model);
    if (id === undefined) {
      id = this.#names.length;
      this.#ids.set(model, id);
      this.#names.push(model);
    }
    return id;
  }

  names(): string[] {
    return this.#names.slice();
  }
}

/** Appends battles column-wise, interning model names; 9 bytes per battle, grows by doubling. */
export class BattleColumnsBuilder {
  readonly #index = new ModelIndex();
  #length = 0;
  #modelA = new Int32Array(1024);
  #modelB = new Int32Array(1024);
  #outcome = new Uint8Array(1024);

  get length(): number {
    return this.#length;
  }

  idOf(model: string): number {
    return this.#index.idOf(model);
  }

  add(modelA: string, modelB: string, winner: BattleOutcome): void {
    this.addIds(this.#index.idOf(modelA), this.#index.idOf(modelB), OUTCOME_CODE[winner]);
  }

  addIds(a: number, b: number, outcomeCode: number): void {
    if (this.#length === this.#modelA.length) this.#grow();
    const k = this.#length++;
    this.#modelA[k] = a;
    this.#modelB[k] = b;
    this.#outcome[k] = outcomeCode;
  }

  build(): BattleColumns {
    const n = this.#length;
    return {
      models: this.#index.names(),
      length: n,
      modelA: this.#modelA.slice(0, n),
      modelB: this.#modelB.slice(0, n),
      outcome: this.#outcome.slice(0, n),
    };
  }

  #grow(): void {
    const size = this.#modelA.length * 2;
    const grown = <T extends Int32Array | Uint8Array>(old: T, fresh: T): T => {
      fresh.set(old);
      return fresh;
    };
    this.#modelA = grown(this.#modelA, new Int32Array(size));
    this.#modelB = grown(this.#modelB, new Int32Array(size));
    this.#outcome = grown(this.#outcome, new Uint8Array(size));
  }
}

/**
 * Aggregates battles straight into counts, for when order does not matter (Bradley-Terry): memory
 * O(models²) however many battles stream through. Self-battles are not counted.
 */
export class BattleCountsBuilder {
  readonly #index = new ModelIndex();
  #capacity = 16;
  #wins: Float64Array = new Float64Array(16 * 16);
  #ties: Float64Array = new Float64Array(16 * 16);
  #battles = 0;

  add(modelA: string, modelB: string, winner: BattleOutcome): void {
    if (modelA === modelB) return;
    const a = this.#index.idOf(modelA);
    const b = this.#index.idOf(modelB);
    if (this.#index.size > this.#capacity) this.#grow();
    const m = this.#capacity;
    if (winner === 'model_a') this.#wins[a * m + b]!++;
    else if (winner === 'model_b') this.#wins[b * m + a]!++;
    else {
      this.#ties[a * m + b]!++;
      this.#ties[b * m + a]!++;
    }
    this.#battles++;
  }

  build(): BattleCounts {
    const models = this.#index.names();
    return {
      models,
      wins: resize(this.#wins, this.#capacity, models.length),
      ties: resize(this.#ties, this.#capacity, models.length),
      battles: this.#battles,
    };
  }

  #grow(): void {
    const capacity = this.#capacity * 2;
    this.#wins = resize(this.#wins, this.#capacity, capacity);
    this.#ties = resize(this.#ties, this.#capacity, capacity);
    this.#capacity = capacity;
  }
}

/** Copies the top-left min(from, to)² block of a from×from table into a fresh to×to table. */
function resize(table: Float64Array, from: number, to: number): Float64Array {
  const out = new Float64Array(to * to);
  const n = Math.min(from, to);
  for (let i = 0; i < n; i++) out.set(table.subarray(i * from, i * from + n), i * to);
  return out;
}

/** Models in code-unit order of their ids. */
export function sortedModelIds(models: Iterable<string>): string[] {
  return [...models].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
}

export function columnsFromBattles(battles: Iterable<BattleResult>): BattleColumns {
  const builder = new BattleColumnsBuilder();
  for (const b of battles) builder.add(b.model_a, b.model_b, b.winner);
  return builder.build();
}

/** Expands columns back to objects (tests, small exports). */
export function battlesFromColumns(columns: BattleColumns): BattleResult[] {
  const out: BattleResult[] = new Array(columns.length);
  for (let k = 0; k < columns.length; k++) {
    out[k] = {
      model_a: columns.models[columns.modelA[k]!]!,
      model_b: columns.models[columns.modelB[k]!]!,
      winner: BATTLE_OUTCOMES[columns.outcome[k]!]!,
    };
  }
  return out;
}

export function emptyCounts(models: readonly string[]): BattleCounts {
  const m = models.length;
  return { models, wins: new Float64Array(m * m), ties: new Float64Array(m * m), battles: 0 };
}

/**
 * One pass over the columns; afterwards nothing depends on the number of battles. Self-battles
 * (a model against itself) say nothing about any difference and are not counted.
 */
export function countBattles(columns: BattleColumns): BattleCounts {
  const m = columns.models.length;
  const wins = new Float64Array(m * m);
  const ties = new Float64Array(m * m);
  const { modelA, modelB, outcome } = columns;
  let selfBattles = 0;
  for (let k = 0; k < columns.length; k++) {
    const a = modelA[k]!;
    const b = modelB[k]!;
    const code = outcome[k]!;
    if (a === b) {
      selfBattles++;
      continue;
    }
    if (code === OUTCOME_CODE.model_a) wins[a * m + b]!++;
    else if (code === OUTCOME_CODE.model_b) wins[b * m + a]!++;
    else {
      ties[a * m + b]!++;
      ties[b * m + a]!++;
    }
  }
  return { models: columns.models, wins, ties, battles: columns.length - selfBattles };
}

/** A pre-aggregated count, e.g. a row of `SELECT model_a, model_b, winner, count(*) ... GROUP BY ...`. */
export interface OutcomeCount extends BattleResult {
  count: number;
}

/** Builds counts from pre-aggregated rows (the server's leaderboard path); models ordered by first appearance. */
export function countsFromOutcomeCounts(rows: Iterable<OutcomeCount>): BattleCounts {
  const ids = new Map<string, number>();
  const list = [...rows];
  for (const row of list) {
    for (const name of [row.model_a, row.model_b]) if (!ids.has(name)) ids.set(name, ids.size);
  }
  const counts = emptyCounts([...ids.keys()]);
  const m = ids.size;
  let battles = 0;
  for (const row of list) {
    if (!Number.isInteger(row.count) || row.count < 0) throw new RangeError(`count must be a non-negative integer, got ${row.count}`);
    if (row.model_a === row.model_b) continue; // a self-battle carries no comparison
    const a = ids.get(row.model_a)!;
    const b = ids.get(row.model_b)!;
    if (row.winner === 'model_a') counts.wins[a * m + b]! += row.count;
    else if (row.winner === 'model_b') counts.wins[b * m + a]! += row.count;
    else {
      counts.ties[a * m + b]! += row.count;
      counts.ties[b * m + a]! += row.count;
    }
    battles += row.count;
  }
  return { ...counts, battles };
}
