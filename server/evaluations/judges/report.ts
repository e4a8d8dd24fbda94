/**
 * The judges' part of an evaluation's results: each judge's latest run measured against the
 * people, and (only when the admin asks) their outcomes as extra votes for the leaderboard.
 */
import type { JudgeCalibration } from '../../../protocol/judges.ts';
import type { ModelRegistry } from '../../models/registry.ts';
import type { ResultVote } from '../results.ts';
import { calibrate, type HumanJudgement, judgeOutcomes } from './calibration.ts';
import { familyMembers } from './family.ts';
import type { JudgeRepo, JudgeRunRow } from './judge-repo.ts';

export interface ReportItem {
  itemId: string;
  modelX: string;
  modelY: string;
  category: string | null;
}

/** Judge voters are named so, never like a person. */
export const judgeVoterId = (modelId: string) => `model:${modelId}`;

export class JudgeReport {
  readonly #judges: JudgeRepo;
  readonly #registry: ModelRegistry;
  constructor(judges: JudgeRepo, registry: ModelRegistry) {
    this.#judges = judges;
    this.#registry = registry;
  }

  runs(evaluationId: string): JudgeRunRow[] {
    return this.#judges.latestRuns(evaluationId);
  }

  /** Changes whenever a judge call settles or a run starts: part of the results' cache key. */
  version(runs: readonly JudgeRunRow[]): string {
    return runs
      .map((r) => {
        const c = this.#judges.counts(r.id);
        return `${r.id}:${r.status}:${c.done}:${c.unparsed}:${c.failed}`;
      })
      .join('|');
  }

  /** Each judge's outcomes as votes (one per item, sides as the item's models), to mix into the standings. */
  asVotes(runs: readonly JudgeRunRow[], items: ReadonlyMap<string, ReportItem>): ResultVote[] {
    const facts = this.#judges.facts(runs.map((r) => r.id));
    return runs.flatMap((run) => {
      const { outcomes } = judgeOutcomes(facts.filter((f) => f.runId === run.id));
      return [...outcomes.entries()]
        .filter(([itemId]) => items.has(itemId))
        .map(([itemId, choice]) => {
          const i = items.get(itemId)!;
          return {
            itemId,
            voter: judgeVoterId(run.modelId),
            modelA: i.modelX,
            modelB: i.modelY,
            winner: choice === 'x' ? ('a' as const) : choice === 'y' ? ('b' as const) : ('tie' as const),
            itemModelX: i.modelX,
            category: i.category,
            createdAt: run.createdAt,
          };
        });
    });
  }

  calibrations(
    runs: readonly JudgeRunRow[],
    items: ReadonlyMap<string, ReportItem>,
    humans: readonly HumanJudgement[],
    candidates: readonly string[],
    humanRatings: ReadonlyMap<string, number>,
  ): JudgeCalibration[] {
    const facts = this.#judges.facts(runs.map((r) => r.id));
    const name = (id: string) => this.#registry.get(id)?.name ?? id;
    const pool = candidates.map((id) => this.#registry.get(id) ?? { id, model: id });
    return runs.map((run) => {
      const judge = this.#registry.get(run.modelId) ?? { id: run.modelId, model: run.modelId };
      const measured = calibrate(
        items,
        facts.filter((f) => f.runId === run.id),
        humans,
        { judge: run.modelId, family: familyMembers(judge, pool), humanRatings, modelName: name },
      );
      return { model: run.modelId, name: name(run.modelId), status: run.status, customPrompt: run.customPrompt, spentUsd: run.spentUsd, ...measured };
    });
  }
}
