/** `arena ratings --verify SNAPSHOT.json --battles EXPORT.jsonl`: argument parsing and the report; the checks are server/snapshots. */
import { readFile } from 'node:fs/promises';
import type { Snapshot } from '../../protocol/standings.ts';
import { scanBattleFile } from '../interop/battle-file.ts';
import { BattleFileError, type BattleRecord } from '../interop/battle-record.ts';
import { UnsupportedViewError } from '../snapshots/canonical.ts';
import { type Verification, verifySnapshot } from '../snapshots/verify.ts';
import { SOFTWARE_VERSION } from '../snapshots/version.ts';
import { parseCommandArgs } from './args.ts';
import type { CliIo } from './io.ts';

export const VERIFY_USAGE = `Usage: arena ratings --verify SNAPSHOT.json --battles EXPORT.jsonl

Recomputes a published standings snapshot from an export (\`arena export battles\`, with
--include-flagged for a snapshot of all votes) and prints every number as confirmed or refuted:
the number and SHA-256 of the votes its view selects, and each model's rating, interval, rank,
record, Elo and win rate, and the pair tables. SNAPSHOT.json is the answer of
GET /api/snapshots/:id (or its "snapshot"). Exit code 0 when everything is confirmed, 1 when
anything is refuted or a file cannot be read, 2 on bad usage.
`;

function isSnapshot(value: unknown): value is Snapshot {
  const s = value as Partial<Snapshot> | null;
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof s.votesHash === 'string' &&
    typeof s.eloK === 'number' &&
    typeof s.view === 'object' &&
    typeof s.standings === 'object' &&
    Array.isArray(s.standings?.models)
  );
}

async function readSnapshot(file: string): Promise<Snapshot> {
  const value: unknown = JSON.parse(await readFile(file, 'utf8'));
  const inner = (value as { snapshot?: unknown } | null)?.snapshot ?? value;
  if (!isSnapshot(inner)) throw new Error(`${file}: not a snapshot (expected the answer of GET /api/snapshots/:id)`);
  return inner;
}

const show = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

export async function runVerifyCli(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs('ratings --verify', VERIFY_USAGE, argv, io, {
    options: { verify: { type: 'string' }, battles: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (!parsed) return 2;
  if (parsed.values.help) {
    io.stdout.write(VERIFY_USAGE);
    return 0;
  }
  const { verify: snapshotFile, battles } = parsed.values;
  if (!snapshotFile || !battles) {
    io.stderr.write(`arena ratings: --verify SNAPSHOT.json needs --battles EXPORT.jsonl\n\n${VERIFY_USAGE}`);
    return 2;
  }
  let snapshot: Snapshot;
  const records: BattleRecord[] = [];
  try {
    snapshot = await readSnapshot(snapshotFile);
    await scanBattleFile(battles, (record) => records.push(record));
  } catch (error) {
    const where = error instanceof BattleFileError ? `${battles}: ` : '';
    io.stderr.write(`arena ratings --verify: ${where}${(error as Error).message}\n`);
    return 1;
  }
  let result: Verification;
  try {
    result = verifySnapshot(snapshot, records);
  } catch (error) {
    if (!(error instanceof UnsupportedViewError)) throw error;
    io.stderr.write(`arena ratings --verify: ${battles}: ${error.message}\n`);
    return 1;
  }
  const { view } = snapshot;
  const dates = view.from || view.to ? `${view.from ?? '…'} to ${view.to ?? '…'}` : 'all dates';
  io.stdout.write(
    [
      `Snapshot "${snapshot.name}" (${snapshot.id}), published ${snapshot.createdAt} by ${snapshot.softwareVersion}; checking with ${SOFTWARE_VERSION}`,
      `View: method ${view.method}, ${view.votes} votes, category ${view.category}, ${dates}, min votes ${snapshot.standings.minVotes}; ` +
        `${snapshot.bootstrap ? `bootstrap ${snapshot.bootstrap.rounds} rounds, seed ${snapshot.bootstrap.seed}` : 'no bootstrap'}; Elo k ${snapshot.eloK}`,
      `Export: ${result.read} votes read, ${result.used} selected by the view`,
      '',
      ...result.checks.map((c) =>
        c.ok ? `confirmed  ${c.what}: ${show(c.published)}` : `REFUTED    ${c.what}: snapshot ${show(c.published)}, recomputed ${show(c.recomputed)}`,
      ),
      '',
      `${result.checks.length - result.refuted} confirmed, ${result.refuted} refuted.`,
      '',
    ].join('\n'),
  );
  if (result.refuted > 0 && view.votes === 'all' && !records.some((r) => Array.isArray(r.flags))) {
    io.stderr.write('note: this snapshot counts flagged votes too; export with --include-flagged\n');
  }
  return result.refuted > 0 ? 1 : 0;
}
