import { describe, expect, it } from 'vitest';
import { TimeSlicer } from '../../../server/arena/time-slicer.ts';

function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('time slicer', () => {
  it('runs tasks in order and hands back what each returns or throws', async () => {
    const slicer = new TimeSlicer(5);
    const order: number[] = [];
    const results = await Promise.allSettled([
      slicer.run(() => order.push(1)),
      slicer.run(() => {
        throw new Error('refused');
      }),
      slicer.run(() => order.push(3) && 'three'),
    ]);
    expect(order).toEqual([1, 3]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([1, 'refused', 'three']);
  });

  it('lets the event loop run between slices when a burst of tasks outlasts one', async () => {
    const slicer = new TimeSlicer(2);
    const log: string[] = [];
    const tasks = Array.from({ length: 10 }, (_, i) =>
      slicer.run(() => {
        busy(1);
        log.push(`task ${i}`);
      }),
    );
    // Another callback (a network read, say) queued after the burst began must not wait for all of it.
    setImmediate(() => log.push('other'));
    await Promise.all(tasks);
    const other = log.indexOf('other');
    expect(other).toBeGreaterThan(0);
    expect(other).toBeLessThan(log.length - 1);
    expect(log.filter((l) => l !== 'other')).toEqual(Array.from({ length: 10 }, (_, i) => `task ${i}`));
  });
});
