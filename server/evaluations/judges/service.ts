/**
 * Starting judge models on an evaluation: the estimate first (two calls per item, both orders),
 * then a run per judge that the runner works through in the background. A judge whose latest run
 * used the same prompt goes on with it (only items not yet judged are asked); another prompt starts
 * a new run, which replaces the old one in the results.
 */
import type { JudgeEstimate, JudgeProgress, JudgeStartInput } from '../../../protocol/judges.ts';
import { DEFAULT_JUDGE_PROMPT } from '../../../protocol/judges.ts';
import { type AuditLog, actorOf } from '../../auth/audit.ts';
import type { ModelRegistry } from '../../models/registry.ts';
import { AppError } from '../../transport/errors.ts';
import type { Identity } from '../../transport/identity.ts';
import type { EvaluationRepo, EvaluationRow } from '../repo.ts';
import { estimateCallUsd } from './estimate.ts';
import type { JudgeRepo, JudgeRunRow } from './judge-repo.ts';
import { judgeMessages } from './prompt.ts';
import type { JudgeRunner } from './runner.ts';

export interface JudgeServiceDeps {
  judges: JudgeRepo;
  repo: EvaluationRepo;
  registry: ModelRegistry;
  runner: JudgeRunner;
  audit: AuditLog;
  now: () => number;
  defaultCapUsd: number;
  outputTokensEstimate: number;
}

type StartInput = Omit<JudgeStartInput, 'dryRun'> & { dryRun: boolean };

export class JudgeService {
  readonly #deps: JudgeServiceDeps;
  constructor(deps: JudgeServiceDeps) {
    this.#deps = deps;
  }

  async start(admin: Identity, ev: EvaluationRow, input: StartInput): Promise<{ estimate: JudgeEstimate; started: boolean }> {
    const { repo, registry, judges } = this.#deps;
    if (ev.status === 'draft') throw new AppError('conflict', 'start the evaluation first: judges need its answers');
    const pending = repo.generationCounts(ev.id);
    if (pending.pending + pending.running > 0) {
      throw new AppError('conflict', `answers are still being generated (${pending.pending + pending.running} left); judge once they are done`);
    }
    const models = input.models.map((id, i) => {
      const model = registry.get(id);
      if (!model?.enabled) throw new AppError('invalid_input', `models[${i}]: no enabled model "${id}"`, { field: `models[${i}]` });
      return model;
    });
    const prompt = input.prompt ?? DEFAULT_JUDGE_PROMPT;
    const capUsd = input.spendCapUsd ?? this.#deps.defaultCapUsd;
    const ready = repo.readyItems(ev.id);
    const latest = new Map(judges.latestRuns(ev.id).map((r) => [r.modelId, r]));
    const plans = models.map((model) => {
      const previous = latest.get(model.id);
      const continuing = previous && previous.prompt === prompt ? previous : null;
      const settled = continuing ? judges.settledItems(continuing.id) : new Set<string>();
      const items = ready.filter((i) => !settled.has(i.itemId));
      let costUsd: number | null = 0;
      for (const item of items) {
        const call = estimateCallUsd(model, judgeMessages(prompt, item), this.#deps.outputTokensEstimate);
        costUsd = call === null || costUsd === null ? null : costUsd + 2 * call;
      }
      return { model, continuing, items, calls: items.length * 2, costUsd };
    });
    const estimate: JudgeEstimate = {
      calls: plans.reduce((s, p) => s + p.calls, 0),
      costUsd: plans.some((p) => p.costUsd === null) ? null : plans.reduce((s, p) => s + p.costUsd!, 0),
      perJudge: plans.map((p) => ({ model: p.model.id, calls: p.calls, costUsd: p.costUsd, capUsd })),
    };
    if (input.dryRun) return { estimate, started: false };

    for (const plan of plans) {
      const run: JudgeRunRow = plan.continuing
        ? { ...plan.continuing, status: 'running', capUsd }
        : judges.createRun({
            evaluationId: ev.id,
            modelId: plan.model.id,
            prompt,
            customPrompt: prompt !== DEFAULT_JUDGE_PROMPT,
            capUsd,
            createdBy: admin.userId === null ? null : Number(admin.userId),
            createdAt: new Date(this.#deps.now()),
          });
      judges.queue(
        run.id,
        ev.id,
        plan.items.map((i) => i.itemId),
      );
      const left = judges.counts(run.id);
      const status = left.pending + left.running > 0 ? 'running' : 'done';
      judges.updateRun(run.id, { status, capUsd, finishedAt: status === 'done' ? new Date(this.#deps.now()) : null });
    }
    await this.#deps.audit.record(actorOf(admin), 'evaluation.judge', `evaluation:${ev.id}`, {
      models: input.models,
      customPrompt: prompt !== DEFAULT_JUDGE_PROMPT,
      calls: estimate.calls,
      costUsd: estimate.costUsd,
      capUsd,
    });
    this.#deps.runner.kick();
    return { estimate, started: true };
  }

  /** Each judge's latest run, for the admins' progress events. */
  progress(evaluationId: string): JudgeProgress[] {
    const { judges, registry } = this.#deps;
    return judges.latestRuns(evaluationId).map((run) => {
      const c = judges.counts(run.id);
      return {
        model: run.modelId,
        name: registry.get(run.modelId)?.name ?? run.modelId,
        status: run.status,
        calls: {
          total: c.pending + c.running + c.done + c.unparsed + c.failed,
          done: c.done,
          pending: c.pending + c.running,
          unparsed: c.unparsed,
          failed: c.failed,
        },
        spentUsd: run.spentUsd,
        capUsd: run.capUsd,
      };
    });
  }
}
