/**
 * The bootstrap of `arena ratings` over worker threads (server/cli/bootstrap-pool.ts): real
 * workers (from source, through tsx), the same numbers as one thread whatever the worker count.
 */
import { describe, expect, it } from 'vitest';
import { BootstrapPool, estimatedBootstrapMs, WORKERS_PAY_OFF_MS } from '../../server/cli/bootstrap-pool.ts';
import { bootstrapBradleyTerry, bootstrapJob, runBootstrapRounds } from '../../server/ratings/bootstrap.ts';
import { countBattles } from '../../server/ratings/counts.ts';
import { simulateBattles } from '../unit/ratings/simulate.ts';

const counts = countBattles(simulateBattles([0.5, 0.3, 0.1, 0, -0.2, -0.4, -0.6], 3000, 21));

describe('BootstrapPool', () => {
  it('gives the numbers of a single thread with one or two workers beside it', async () => {
    const single = bootstrapBradleyTerry(counts, { rounds: 30, seed: 9 });
    const job = bootstrapJob(counts, { seed: 9 });
    for (const threads of [2, 3]) {
      const pool = BootstrapPool.start(threads);
      expect(pool.size).toBe(threads - 1);
      try {
        let ranMeanwhile = false;
        const result = await pool.run(job, 30, () => {
          ranMeanwhile = true;
        });
        expect(ranMeanwhile).toBe(true);
        expect(result.samples).toEqual(single.samples);
        expect(result.lower).toEqual(single.lower);
        expect(result.nonConverged).toBe(single.nonConverged);
      } finally {
        await pool.close();
      }
    }
  });

  it('a round depends only on the job and its number, not on the rounds run before it', () => {
    const job = bootstrapJob(counts, { seed: 4 });
    const all = runBootstrapRounds(job, 0, 10).samples;
    const m = counts.models.length;
    expect(runBootstrapRounds(job, 7, 9).samples).toEqual(all.subarray(7 * m, 9 * m));
  });

  it('keeps small bootstraps on this thread', () => {
    const job = bootstrapJob(counts, { seed: 1 });
    expect(estimatedBootstrapMs(job, 100)).toBeLessThan(WORKERS_PAY_OFF_MS);
  });
});
