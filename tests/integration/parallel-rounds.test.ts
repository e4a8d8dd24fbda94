/**
 * The live fit's bootstrap on two threads (server/standings/parallel-rounds.ts): a real helper
 * (the standings worker module from source, through tsx) and one that never takes a round give
 * the numbers of one thread; a job too small to be worth sharing never starts the helper.
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { bootstrapJob, runBootstrapRounds } from '../../server/ratings/bootstrap.ts';
import { countBattles } from '../../server/ratings/counts.ts';
import { MIN_SHARED_WORK, ParallelRounds } from '../../server/standings/parallel-rounds.ts';
import { startWorker } from '../../server/transport/worker-thread.ts';
import { simulateBattles } from '../unit/ratings/simulate.ts';

const counts = countBattles(simulateBattles([0.6, 0.4, 0.2, 0.1, 0, -0.2, -0.3, -0.5, -0.7], 20_000, 8));
const BT_WORKER = new URL('../../server/standings/bt-worker.ts', import.meta.url);

describe('ParallelRounds', () => {
  it('gives the numbers of one thread with the standings worker as its helper', async () => {
    const job = bootstrapJob(counts, { seed: 4 });
    const single = runBootstrapRounds(job, 0, 60);
    let started = 0;
    // Shared whatever its size (a job this small runs on one thread by default, below).
    const rounds = new ParallelRounds(
      () => {
        started++;
        return startWorker(BT_WORKER, { background: true });
      },
      { minSharedWork: 0 },
    );
    try {
      rounds.start();
      // The first run may find the helper still loading; later ones share the rounds.
      for (let run = 0; run < 4; run++) {
        const result = rounds.run(bootstrapJob(counts, { seed: 4 }), 60);
        expect(result.samples).toEqual(single.samples);
        expect(result.nonConverged).toBe(single.nonConverged);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      expect(started).toBe(1);
    } finally {
      await rounds.close();
    }
  });

  it('runs the rounds itself when the helper never takes one, and starts a new helper after one exits', async () => {
    const job = bootstrapJob(counts, { seed: 5 });
    const single = runBootstrapRounds(job, 0, 20);
    const helpers: Worker[] = [];
    const rounds = new ParallelRounds(
      () => {
        const idle = new Worker('setInterval(() => {}, 1000);', { eval: true });
        helpers.push(idle);
        return idle;
      },
      { minSharedWork: 0 },
    );
    try {
      const started = performance.now();
      expect(rounds.run(job, 20).samples).toEqual(single.samples);
      expect(performance.now() - started).toBeLessThan(5_000);
      await helpers[0]!.terminate();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(rounds.run(bootstrapJob(counts, { seed: 5 }), 20).samples).toEqual(single.samples);
      expect(helpers).toHaveLength(2);
    } finally {
      await rounds.close();
    }
  });

  it('runs a job too small to share on this thread, without starting a helper', async () => {
    const job = bootstrapJob(counts, { seed: 6 });
    expect(job.cells.weight.length * 60).toBeLessThan(MIN_SHARED_WORK);
    let started = 0;
    const rounds = new ParallelRounds(() => {
      started++;
      return startWorker(BT_WORKER, { background: true });
    });
    try {
      expect(rounds.run(job, 60)).toEqual(runBootstrapRounds(bootstrapJob(counts, { seed: 6 }), 0, 60));
      expect(started).toBe(0);
    } finally {
      await rounds.close();
    }
  });
});
