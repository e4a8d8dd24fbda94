/** What admins and voters are shown of an evaluation (pure over the repository): progress, summary, detail. */
import type { EvalProgress, EvaluationDetail, EvaluationSummary, VoterEvaluation } from '../../protocol/evaluations.ts';
import type { ModelRegistry } from '../models/registry.ts';
import type { EvaluationRepo, EvaluationRow } from './repo.ts';

export function progressOf(repo: EvaluationRepo, ev: EvaluationRow): EvalProgress {
  const id = ev.id;
  const gen = repo.generationCounts(id);
  const items = repo.itemCounts(id, ev.votesPerItem);
  return {
    evaluationId: id,
    status: ev.status,
    generation: { total: gen.pending + gen.running + gen.done + gen.failed, done: gen.done, failed: gen.failed, pending: gen.pending + gen.running },
    items: { total: items.total, ready: items.ready, complete: items.complete },
    votes: { cast: items.votes, wanted: items.total * ev.votesPerItem },
    allVotesIn: items.total > 0 && items.complete === items.total,
  };
}

export function summaryOf(repo: EvaluationRepo, registry: ModelRegistry, ev: EvaluationRow): EvaluationSummary {
  return {
    id: ev.id,
    name: ev.name,
    description: ev.description,
    status: ev.status,
    models: ev.models.map((m) => ({ id: m, name: registry.get(m)?.name ?? m })),
    prompts: repo.promptCount(ev.id),
    votesPerItem: ev.votesPerItem,
    countInPublicLeaderboard: ev.countInPublic,
    createdAt: ev.createdAt.toISOString(),
    progress: progressOf(repo, ev),
  };
}

export function detailOf(repo: EvaluationRepo, registry: ModelRegistry, ev: EvaluationRow): EvaluationDetail {
  return {
    ...summaryOf(repo, registry, ev),
    systemPrompt: ev.systemPrompt,
    temperature: ev.temperature,
    maxTokens: ev.maxTokens,
    categories: repo.categories(ev.id),
    goldItems: repo.goldCount(ev.id),
    minGoldAccuracy: ev.minGoldAccuracy,
    judgesInStandings: ev.judgesInStandings,
    baseEvaluationId: ev.baseEvaluationId,
    failures: repo.failures(ev.id).map((f) => ({
      promptId: f.promptId,
      questionId: f.questionId,
      modelId: f.modelId,
      attempts: f.attempts,
      error: `${f.errorKind ?? 'error'}: ${f.errorMessage ?? ''}`,
    })),
  };
}

/** Running evaluations, for the voter page. */
export function voterEvaluationsOf(repo: EvaluationRepo, voterId: string): VoterEvaluation[] {
  return repo
    .list('running')
    .map((ev) => ({ id: ev.id, name: ev.name, description: ev.description, myVotes: repo.votesBy(ev.id, voterId), progress: progressOf(repo, ev) }));
}
