/**
 * The bootstrap of `arena ratings` over worker threads (server/cli/bootstrap-pool.ts) and the read
 * in two shares (parallel-read.ts): real workers (from source, through tsx), the same numbers and
 * the same errors as one thread.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BootstrapPool, estimatedBootstrapMs, WORKERS_PAY_OFF_MS } from '../../server/cli/bootstrap-pool.ts';
import { readForRatings } from '../../server/cli/parallel-read.ts';
import { bootstrapBradleyTerry, bootstrapJob, runBootstrapRounds } from '../../server/ratings/bootstrap.ts';
import { countBattles } from '../../server/ratings/counts.ts';
import { useCleanup } from '../support/hooks.ts';
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

describe('readForRatings with a worker reading the second half', () => {
  const cleanup = useCleanup();
  const line = (i: number) =>
    JSON.stringify({
      model_a: ['한국어-모델', 'gpt-4o', 'claude'][i % 3],
      model_b: ['gpt-4o', 'claude', '한국어-모델'][i % 3],
      winner: i % 5 === 0 ? 'tie' : 'model_b',
      anony: i % 7 !== 0,
    });
  const lines = Array.from({ length: 4000 }, (_, i) => line(i));

  async function readBoth(text: string, skipInvalid: boolean) {
    const file = path.join(cleanup.tempDir('parallel-read-'), 'battles.jsonl');
    writeFileSync(file, text);
    const read = async (pool: BootstrapPool) => {
      const battles: string[] = [];
      try {
        const summary = await readForRatings(pool, { battles: file, filters: {}, skipInvalid }, (a, b, w) => battles.push(`${a}|${b}|${w}`));
        return { battles, summary };
      } catch (error) {
        return { error: (error as Error).message };
      } finally {
        await pool.close();
      }
    };
    return { alone: await read(BootstrapPool.none()), shared: await read(BootstrapPool.start(2)) };
  }

  it('gives the battles of one sequential read, in file order', async () => {
    const { alone, shared } = await readBoth(`${lines.join('\n')}\n`, false);
    expect(shared).toEqual(alone);
    expect(alone.battles?.length).toBeGreaterThan(3000);
  });

  it('numbers a failure in the second half as one sequential read does, strict and skipping', async () => {
    const broken = [...lines];
    broken[1000] = '{"model_a": "x"';
    broken[3500] = JSON.stringify({ model_a: 'x', model_b: 'y', winner: 'model_c' });
    for (const skipInvalid of [false, true]) {
      const { alone, shared } = await readBoth(`${broken.join('\n')}\n`, skipInvalid);
      expect(shared).toEqual(alone);
    }
    const tailOnly = [...lines];
    tailOnly[3500] = broken[3500]!;
    const { alone, shared } = await readBoth(tailOnly.join('\n'), false);
    expect(shared).toEqual(alone);
    expect('error' in shared && shared.error).toBe('line 3501: winner: must be one of model_a, model_b, tie, tie (bothbad)');
  });
});
