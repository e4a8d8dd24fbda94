/**
 * One refresh of the live Bradley-Terry standings, as the standings worker runs it (and the
 * standings benchmark measures it): read the maintained counts (or, with live counts, the votes
 * added since the last refresh) and the stored Elo in one read transaction (or take the snapshot
 * sent), then fit, the bootstrap's rounds on this thread and a helper (parallel-rounds.ts) when
 * one is given.
 */
import type { Sqlite } from '../../db/client.ts';
import type { RoundsRunner } from '../ratings/bootstrap.ts';
import { type BtFit, type BtFitOptions, fitBt } from './bt-fit.ts';
import type { LiveCounts } from './live-counts.ts';
import { type BtSnapshot, readBtInput } from './ratings-repo.ts';

export interface BtRefresh {
  fit: BtFit;
  readMs: number;
  fitMs: number;
}

export function refreshBt(
  source: { sqlite: Sqlite; live?: LiveCounts } | { snapshot: BtSnapshot },
  options: BtFitOptions,
  runRounds?: RoundsRunner,
): BtRefresh {
  const started = performance.now();
  const snapshot = 'sqlite' in source ? readBtInput(source.sqlite, options, source.live) : source.snapshot;
  const read = performance.now();
  const fit = fitBt(snapshot, options, runRounds);
  return { fit, readMs: read - started, fitMs: performance.now() - read };
}
