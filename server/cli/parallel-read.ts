/**
 * The read of `arena ratings` in two shares when a worker is there (bootstrap-pool.ts): this
 * thread reads the first half of the file while the worker reads the second; the worker's
 * battles are then appended in file order, and its failures renumbered after this half's lines, so
 * the records, the skips, the messages and the line numbers are those of one sequential read.
 */
import { open, stat } from 'node:fs/promises';
import { type ReadSummary, startsWithBracket } from '../interop/battle-file.ts';
import { BattleFileError } from '../interop/battle-record.ts';
import { type LineFailure, readRatingRange, scanBattlesForRatings } from '../interop/battle-scan.ts';
import { type BattleFilterOptions, fieldsUsedBy, makeBattlePredicate } from '../ratings/filters.ts';
import { BATTLE_OUTCOMES, type BattleOutcome } from '../ratings/outcomes.ts';
import type { BootstrapPool } from './bootstrap-pool.ts';

export interface ReadArgs {
  battles: string;
  filters: BattleFilterOptions;
  skipInvalid: boolean;
}

const MAX_EXAMPLES = 5;
const PROBE_BYTES = 1 << 16;

/** The start of the first line after byte `from`, or null if no line starts there. */
async function lineStartAfter(path: string, from: number, size: number): Promise<number | null> {
  const handle = await open(path, 'r');
  try {
    const probe = Buffer.alloc(PROBE_BYTES);
    for (let at = from; at < size; at += PROBE_BYTES) {
      const { bytesRead } = await handle.read(probe, 0, PROBE_BYTES, at);
      const newline = probe.subarray(0, bytesRead).indexOf(0x0a);
      if (newline >= 0) return at + newline + 1 < size ? at + newline + 1 : null;
    }
    return null;
  } finally {
    await handle.close();
  }
}

const failureError = (failure: LineFailure, offset: number) => new BattleFileError(`line ${offset + failure.line}`, failure.field, failure.problem);

/** Reads the battle file, calling `add` for each battle the filters keep, in file order. */
export async function readForRatings(pool: BootstrapPool, args: ReadArgs, add: (a: string, b: string, winner: BattleOutcome) => void): Promise<ReadSummary> {
  const keep = makeBattlePredicate(args.filters);
  const options = { skipInvalid: args.skipInvalid, fields: fieldsUsedBy(args.filters) };
  const onBattle = (battle: Parameters<typeof keep>[0]) => {
    if (keep(battle)) add(battle.model_a, battle.model_b, battle.winner);
  };
  const { size } = await stat(args.battles);
  const split = pool.size > 0 && !(await startsWithBracket(args.battles)) ? await lineStartAfter(args.battles, Math.floor(size / 2), size) : null;
  if (split === null) return scanBattlesForRatings(args.battles, onBattle, options);

  const tail = pool.readShare({ path: args.battles, start: split, end: size, filters: args.filters, skipInvalid: args.skipInvalid });
  tail.catch(() => {}); // when this half fails first, the worker's answer is not awaited
  const head = await readRatingRange(args.battles, { start: 0, end: split }, onBattle, options);
  if (!args.skipInvalid && head.failures.length > 0) throw failureError(head.failures[0]!, 0);
  const share = await tail;
  if (!args.skipInvalid && share.failures.length > 0) throw failureError(share.failures[0]!, head.lines);
  for (let k = 0; k < share.modelA.length; k++) {
    add(share.models[share.modelA[k]!]!, share.models[share.modelB[k]!]!, BATTLE_OUTCOMES[share.outcome[k]!]!);
  }
  const failures = [...head.failures.map((f) => failureError(f, 0)), ...share.failures.map((f) => failureError(f, head.lines))];
  return {
    records: head.records + share.records,
    skipped: failures.length,
    skippedExamples: failures.slice(0, MAX_EXAMPLES).map((f) => f.message),
    format: 'jsonl',
  };
}
