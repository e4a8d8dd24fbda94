/**
 * The writing side's view of the import's reader thread (import-worker.ts): the derived battles of
 * a file, in file order, handed to `onBattle` batch by batch while the reader goes on with the
 * next ones. The file's errors arrive as they would from reading it here: a BattleFileError with
 * the same message, or the file system's error with its code.
 */
import { startWorker, workerEntry } from '../transport/worker-thread.ts';
import type { ReadSummary } from './battle-file.ts';
import { BattleFileError } from './battle-record.ts';
import { BatchDecoder, type DerivedBatch } from './import-batch.ts';
import type { DerivedBattle, DeriveSummary } from './import-derive.ts';

export interface ReaderRequest {
  kind: 'read';
  file: string;
  skipInvalid: boolean;
  longPromptTokens: number;
  importedAt: number;
}

type ReaderError =
  | { kind: 'battle'; location: string; field: string | null; problem: string }
  | { kind: 'other'; name: string; message: string; system: Pick<NodeJS.ErrnoException, 'code' | 'syscall' | 'path' | 'errno'> };

export type ReaderMessage = DerivedBatch | { kind: 'done'; read: ReadSummary; derived: DeriveSummary } | { kind: 'error'; error: ReaderError };

function errorOf(error: ReaderError): Error {
  if (error.kind === 'battle') return new BattleFileError(error.location, error.field, error.problem);
  // A file system error keeps what tells it apart (its code and syscall: server/cli/import.ts).
  const e: NodeJS.ErrnoException = Object.assign(new Error(error.message), error.system);
  e.name = error.name;
  return e;
}

/** Reads `request.file` on a reader thread; resolves with what it read once every battle went to `onBattle`. */
export function readDerivedBattles(
  request: Omit<ReaderRequest, 'kind'>,
  onBattle: (battle: DerivedBattle) => void,
): Promise<{ read: ReadSummary; derived: DeriveSummary }> {
  const worker = startWorker(workerEntry(import.meta.url, 'import-worker'));
  const decoder = new BatchDecoder();
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      outcome();
    };
    worker.on('message', (message: ReaderMessage) => {
      if (settled) return;
      if (message.kind === 'done') return settle(() => resolve({ read: message.read, derived: message.derived }));
      if (message.kind === 'error') return settle(() => reject(errorOf(message.error)));
      try {
        decoder.forEach(message, onBattle);
        worker.postMessage({ kind: 'written' });
      } catch (error) {
        settle(() => reject(error));
      }
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) => settle(() => reject(new Error(`the import's reader thread stopped (exit code ${code})`))));
    worker.postMessage({ kind: 'read', ...request } satisfies ReaderRequest);
  });
}
