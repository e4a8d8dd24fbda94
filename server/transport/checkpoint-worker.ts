/**
 * The worker thread that checkpoints the server's WAL (db/checkpoints.ts): every tick it copies
 * committed pages into the database file, so the syncs and writes of a checkpoint never run on
 * the event loop that acknowledges votes. Told `stop`, it closes its connection and says `closed`.
 */
import { parentPort } from 'node:worker_threads';
import { Checkpointer } from '../../db/checkpoints.ts';

export interface CheckpointStart {
  kind: 'start';
  file: string;
  intervalMs: number;
}
export type CheckpointCommand = CheckpointStart | { kind: 'stop' };
export type CheckpointEvent = { kind: 'started' } | { kind: 'closed' } | { kind: 'error'; message: string };

const port = parentPort;
if (port) {
  let checkpointer: Checkpointer | null = null;
  let timer: NodeJS.Timeout | null = null;
  const tell = (event: CheckpointEvent) => port.postMessage(event);
  port.on('message', (command: CheckpointCommand) => {
    if (command.kind === 'start' && !checkpointer) {
      try {
        const started = new Checkpointer(command.file);
        checkpointer = started;
        let failing = false;
        timer = setInterval(() => {
          try {
            started.checkpoint();
            failing = false;
          } catch (error) {
            // A failed checkpoint loses nothing (the pages stay in the WAL): said once, tried again next tick.
            if (!failing) tell({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
            failing = true;
          }
        }, command.intervalMs);
        tell({ kind: 'started' });
      } catch (error) {
        // Could not open the file: the worker ends and the writer keeps its own checkpoints.
        tell({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
        port.close();
      }
    } else if (command.kind === 'stop') {
      if (timer) clearInterval(timer);
      checkpointer?.close();
      checkpointer = null;
      tell({ kind: 'closed' });
      port.close();
    }
  });
}
