/** Speed and cost per model (pure): medians and p90s over recent answers, beside quality. */
import type { ModelSpeed } from '../../protocol/types.ts';

export interface AnswerSample {
  modelId: string;
  ttftMs: number | null;
  totalMs: number;
  outputTokens: number;
  costUsd: number | null;
  failed: boolean;
}

/** Nearest-rank quantile of an ascending array. */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1]!;
}

const round = (x: number | null, digits: number) => (x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits);

export function speedStats(samples: Iterable<AnswerSample>): Map<string, ModelSpeed> {
  const byModel = new Map<string, AnswerSample[]>();
  for (const s of samples) {
    const list = byModel.get(s.modelId) ?? [];
    list.push(s);
    byModel.set(s.modelId, list);
  }
  const out = new Map<string, ModelSpeed>();
  for (const [modelId, list] of byModel) {
    const ok = list.filter((s) => !s.failed);
    const asc = (xs: number[]) => xs.sort((a, b) => a - b);
    const ttft = asc(ok.flatMap((s) => (s.ttftMs === null ? [] : [s.ttftMs])));
    const total = asc(ok.map((s) => s.totalMs));
    // Generation speed after the first token, so a slow queue does not count as slow decoding.
    const tps = asc(
      ok.flatMap((s) => {
        const seconds = (s.totalMs - (s.ttftMs ?? 0)) / 1000;
        return s.outputTokens > 1 && seconds > 0.01 ? [s.outputTokens / seconds] : [];
      }),
    );
    const cost = asc(ok.flatMap((s) => (s.costUsd === null ? [] : [s.costUsd])));
    out.set(modelId, {
      answers: list.length,
      errorRate: round(list.length ? (list.length - ok.length) / list.length : 0, 4)!,
      medianTtftMs: round(quantile(ttft, 0.5), 1),
      p90TtftMs: round(quantile(ttft, 0.9), 1),
      medianLatencyMs: round(quantile(total, 0.5), 1),
      p90LatencyMs: round(quantile(total, 0.9), 1),
      medianTokensPerSecond: round(quantile(tps, 0.5), 1),
      medianOutputTokens: quantile(asc(ok.map((s) => s.outputTokens)), 0.5),
      medianCostUsd: round(quantile(cost, 0.5), 6),
      meanCostUsd: round(cost.length ? cost.reduce((sum, c) => sum + c, 0) / cost.length : null, 6),
    });
  }
  return out;
}
