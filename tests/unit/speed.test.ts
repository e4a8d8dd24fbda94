import { describe, expect, it } from 'vitest';
import { quantile, speedStats } from '../../server/standings/speed.ts';

describe('speed and cost figures', () => {
  it('uses nearest-rank quantiles', () => {
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([10], 0.9)).toBe(10);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
  });

  it('computes medians, p90s, generation speed, cost and error rate per model', () => {
    const stats = speedStats([
      { modelId: 'm', ttftMs: 100, totalMs: 1100, outputTokens: 50, costUsd: 0.001, failed: false }, // 50 tok/s
      { modelId: 'm', ttftMs: 300, totalMs: 2300, outputTokens: 40, costUsd: 0.003, failed: false }, // 20 tok/s
      { modelId: 'm', ttftMs: 200, totalMs: 1200, outputTokens: 30, costUsd: 0.002, failed: false }, // 30 tok/s
      { modelId: 'm', ttftMs: null, totalMs: 5000, outputTokens: 0, costUsd: null, failed: true },
      { modelId: 'free', ttftMs: 10, totalMs: 510, outputTokens: 100, costUsd: null, failed: false },
    ]);
    expect(stats.get('m')).toEqual({
      answers: 4,
      errorRate: 0.25,
      medianTtftMs: 200,
      p90TtftMs: 300,
      medianLatencyMs: 1200,
      p90LatencyMs: 2300,
      medianTokensPerSecond: 30,
      medianOutputTokens: 40,
      medianCostUsd: 0.002,
      meanCostUsd: 0.002,
    });
    expect(stats.get('free')).toMatchObject({ medianCostUsd: null, meanCostUsd: null, medianTokensPerSecond: 200, errorRate: 0 });
  });
});
