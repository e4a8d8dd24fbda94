/**
 * The model page: its standing, Elo and rank over time, record against each opponent, speed,
 * cost and latency distributions, failure rate, and the recent battles the caller may see. Every
 * figure comes from finished battles only (public votes; answers of voted, failed or abandoned
 * battles), so nothing moves while a battle waits for its vote.
 */
import type { ModelProfile, StandingsEntry } from '../../protocol/standings.ts';
import type { BtLeaderboard, BtLeaderboardEntry } from '../../protocol/types.ts';
import { type ModelRegistry, toPublicModel } from '../models/registry.ts';
import type { AnswerSamples } from '../standings/answer-samples.ts';
import { type AnswerSample, quantile, speedStats } from '../standings/speed.ts';
import { AppError } from '../transport/errors.ts';
import type { Identity } from '../transport/identity.ts';
import type { BattleHistory } from './battles.ts';
import type { PublicRecordCache } from './record-cache.ts';
import { historyScope } from './scope.ts';

/** The same sample the live speed figures use. */
const SAMPLE = 1000;
const RECENT_BATTLES = 10;
const QUANTILES = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1];

export interface ProfileDeps {
  records: PublicRecordCache;
  battles: BattleHistory;
  registry: ModelRegistry;
  samples: AnswerSamples;
  /** The live Bradley-Terry standings (server/standings/bt-service.ts `latest()`). */
  btStandings: () => Promise<BtLeaderboard>;
  /** The deprecated switch of the model registry. */
  isDeprecated: (modelId: string) => boolean;
  /** The model's row in each category view (category-ratings.ts). */
  categoryRatings: (modelId: string) => Promise<ModelProfile['categories']>;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Quantiles (QUANTILES) of the values; empty without any. */
function spread(values: number[], digits: number): number[] {
  const sorted = values.sort((a, b) => a - b);
  return sorted.length === 0 ? [] : QUANTILES.map((q) => round(quantile(sorted, q)!, digits));
}

export function distributionsOf(samples: AnswerSample[]): ModelProfile['distributions'] {
  const ok = samples.filter((s) => !s.failed);
  return {
    latencyMs: spread(
      ok.map((s) => s.totalMs),
      1,
    ),
    // Generation speed after the first token, as in the live speed figures.
    tokensPerSecond: spread(
      ok.flatMap((s) => {
        const seconds = (s.totalMs - (s.ttftMs ?? 0)) / 1000;
        return s.outputTokens > 1 && seconds > 0.01 ? [s.outputTokens / seconds] : [];
      }),
      1,
    ),
    costUsd: spread(
      ok.flatMap((s) => (s.costUsd === null ? [] : [s.costUsd])),
      6,
    ),
  };
}

export class ModelProfiles {
  readonly #deps: ProfileDeps;

  constructor(deps: ProfileDeps) {
    this.#deps = deps;
  }

  async profile(identity: Identity, modelId: string): Promise<ModelProfile> {
    const { registry } = this.#deps;
    const model = registry.get(modelId);
    if (!model) throw new AppError('not_found', `no model "${modelId}"`, { field: 'id' });
    const samples = this.#deps.samples.recent(modelId, SAMPLE);
    const speed = speedStats(samples).get(modelId) ?? null;
    const row = (await this.#btStandings()).find((m) => m.id === modelId);
    const record = this.#deps.records.current();
    const deprecated = this.#deps.isDeprecated(modelId);
    return {
      model: { ...toPublicModel(model), deprecated },
      standing: row ? this.#entry(row, samples, deprecated) : null,
      history: record.history(modelId),
      opponents: record.opponents(modelId).map((o) => ({
        ...o,
        name: registry.get(o.id)?.name ?? o.id,
        winRate: o.battles > 0 ? round((o.wins + o.ties / 2) / o.battles, 4) : null,
      })),
      categories: await this.#deps.categoryRatings(modelId),
      speed,
      distributions: distributionsOf(samples),
      recentBattles: this.#deps.battles.recentWith(historyScope(identity), modelId, RECENT_BATTLES),
    };
  }

  /** The live Bradley-Terry rows; none while the fit cannot be computed (the rest of the page still can). */
  async #btStandings(): Promise<BtLeaderboardEntry[]> {
    try {
      return (await this.#deps.btStandings()).models;
    } catch (error) {
      if (error instanceof AppError && error.code === 'unavailable') return [];
      throw error;
    }
  }

  #entry(row: BtLeaderboardEntry, samples: AnswerSample[], deprecated: boolean): StandingsEntry {
    const model = this.#deps.registry.get(row.id);
    const costs = samples.filter((s) => !s.failed && s.costUsd !== null).map((s) => s.costUsd!);
    return {
      ...row,
      organization: model?.organization ?? null,
      license: model?.license ?? null,
      deprecated,
      winRate: row.battles > 0 ? round((row.wins + row.ties / 2) / row.battles, 4) : null,
      costPer1kAnswersUsd: costs.length > 0 ? round((costs.reduce((a, b) => a + b, 0) / costs.length) * 1000, 4) : null,
      // TODO(standings): places moved since the previous fit, from the standings views.
      rankChange: null,
    };
  }
}
