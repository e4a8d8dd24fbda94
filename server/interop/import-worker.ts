/**
 * The reader thread of `arena import battles` (import-reader.ts starts it): reads and validates
 * the file, derives each battle (import-derive.ts) and sends them in batches (import-batch.ts),
 * so the writing thread spends its time in SQLite. At most a few batches are in flight: the
 * reader waits for the writer rather than holding the file in memory.
 */
import { parentPort } from 'node:worker_threads';
import { scanBattleFile } from './battle-file.ts';
import { BattleFileError } from './battle-record.ts';
import { BATCH_ROWS, BatchEncoder } from './import-batch.ts';
import { BattleDeriver } from './import-derive.ts';
import type { ReaderMessage, ReaderRequest } from './import-reader.ts';

/** Batches sent and not yet written before the reader waits. */
const IN_FLIGHT = 4;

const port = parentPort!;
const send = (message: ReaderMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

let credits = IN_FLIGHT;
let wake: (() => void) | null = null;

/** Resolves once fewer than IN_FLIGHT batches are unwritten (a chunk may have sent several at once). */
async function untilWritten(): Promise<void> {
  while (credits <= 0) await new Promise<void>((resolve) => (wake = resolve));
}

async function read(request: ReaderRequest): Promise<void> {
  const deriver = new BattleDeriver(request);
  const encoder = new BatchEncoder();
  const flush = () => {
    const { batch, transfer } = encoder.take();
    credits--;
    send(batch, transfer);
  };
  const summary = await scanBattleFile(
    request.file,
    (record) => {
      const battle = deriver.derive(record);
      if (battle === null) return;
      encoder.push(battle);
      if (encoder.size === BATCH_ROWS) flush();
    },
    // A JSON array is parsed whole (battle-file.ts), so its records are in memory already; lines wait here.
    { skipInvalid: request.skipInvalid, afterChunk: () => (credits > 0 ? undefined : untilWritten()) },
  );
  if (encoder.size > 0) flush();
  send({ kind: 'done', read: summary, derived: deriver.summary });
}

port.on('message', (message: ReaderRequest | { kind: 'written' }) => {
  if (message.kind === 'written') {
    credits++;
    wake?.();
    wake = null;
    return;
  }
  read(message).catch((error: unknown) => {
    const e = error as NodeJS.ErrnoException;
    send({
      kind: 'error',
      error:
        error instanceof BattleFileError
          ? { kind: 'battle', location: error.location, field: error.field, problem: error.problem }
          : {
              kind: 'other',
              name: e?.name ?? 'Error',
              message: e?.message ?? String(error),
              system: Object.fromEntries((['code', 'syscall', 'path', 'errno'] as const).filter((k) => e?.[k] !== undefined).map((k) => [k, e[k]])),
            },
    });
  });
});
