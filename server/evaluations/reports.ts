/**
 * What admins read about an evaluation, computed from its votes: results (cached per vote count),
 * the per-item review of votes and reasons, and the exports. Nothing here changes state but the
 * audit entry of an export with voter identities.
 */
import type { EvalItemAnswers, EvalItemReviewPage, EvalProgress, EvaluationResults } from '../../protocol/evaluations.ts';
import { type AuditLog, actorOf } from '../auth/audit.ts';
import type { ModelRegistry } from '../models/registry.ts';
import { AppError } from '../transport/errors.ts';
import type { Identity } from '../transport/identity.ts';
import { type ExportVote, judgeNamer, toCsv, toJsonl } from './export.ts';
import type { EvaluationRepo, EvaluationRow } from './repo.ts';
import { computeResults } from './results.ts';
import { toItemReviews } from './review.ts';
import type { ItemFilter, ReviewRepo } from './review-repo.ts';

export interface EvaluationReportsDeps {
  repo: EvaluationRepo;
  review: ReviewRepo;
  registry: ModelRegistry;
  audit: AuditLog;
  bootstrapRounds: number;
  progress: (id: string) => EvalProgress;
}

export class EvaluationReports {
  readonly #deps: EvaluationReportsDeps;
  readonly #resultsCache = new Map<string, { votes: number; results: EvaluationResults }>();

  constructor(deps: EvaluationReportsDeps) {
    this.#deps = deps;
  }

  results(id: string): EvaluationResults {
    const ev = this.#get(id);
    const progress = this.#deps.progress(id);
    const cached = this.#resultsCache.get(id);
    if (cached && cached.votes === progress.votes.cast) return { ...cached.results, progress };
    const emails = this.#deps.review.voterEmails();
    const results: EvaluationResults = {
      evaluationId: id,
      progress,
      ...computeResults(this.#deps.review.resultVotes(id), {
        models: ev.models.map((m) => ({ id: m, name: this.#deps.registry.get(m)?.name ?? m })),
        bootstrapRounds: this.#deps.bootstrapRounds,
        voterLabel: (voter) => emails.get(voter) ?? voter,
      }),
    };
    this.#resultsCache.set(id, { votes: progress.votes.cast, results });
    return results;
  }

  /** One page of items with their votes and reasons, for the admin's review (voters by email). */
  items(id: string, page: { only: ItemFilter; offset: number; limit: number }): EvalItemReviewPage {
    const ev = this.#get(id);
    const { total, rows } = this.#deps.review.items(id, page);
    const emails = this.#deps.review.voterEmails();
    const items = toItemReviews(rows, this.#deps.review.votesOn(rows.map((r) => r.itemId)), {
      votesWanted: ev.votesPerItem,
      modelName: (m) => this.#deps.registry.get(m)?.name ?? m,
      voterLabel: (voter) => emails.get(voter) ?? voter,
    });
    return { total, offset: page.offset, items };
  }

  /** Both stored answers of one item, by model. */
  itemAnswers(id: string, itemId: string): EvalItemAnswers {
    const { repo } = this.#deps;
    const item = repo.item(itemId);
    if (!item || item.evaluationId !== this.#get(id).id) throw new AppError('not_found', 'no such item in this evaluation', { field: 'itemId' });
    const prompt = repo.prompt(item.promptId)!;
    const answers = repo.answersOf(item.promptId, [item.modelX, item.modelY]);
    const [x, y] = [answers.get(item.modelX) ?? [], answers.get(item.modelY) ?? []];
    return { itemId, turns: prompt.turns.map((text, t) => ({ prompt: text, x: x[t] ?? '', y: y[t] ?? '' })) };
  }

  export(admin: Identity, id: string, format: 'csv' | 'jsonl', identities: boolean): string {
    this.#get(id);
    const emails = identities ? this.#deps.review.voterEmails() : null;
    const judge = judgeNamer(emails ? (voter) => emails.get(voter) ?? voter : null);
    const votes: ExportVote[] = this.#deps.review.exportVotes(id).map((v) => ({ ...v, evaluationId: id }));
    if (identities) this.#deps.audit.record(actorOf(admin), 'evaluation.export', `evaluation:${id}`, { format, identities: true, votes: votes.length });
    return format === 'csv' ? toCsv(votes, judge) : toJsonl(votes, judge);
  }

  #get(id: string): EvaluationRow {
    const ev = this.#deps.repo.get(id);
    if (!ev) throw new AppError('not_found', 'no such evaluation', { field: 'evaluationId' });
    return ev;
  }
}
