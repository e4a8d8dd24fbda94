/**
 * What admins read about an evaluation, computed from its votes and judge calls: results (cached
 * while nothing changed), the per-item review of votes, reasons and judge verdicts, and the
 * exports. Nothing here changes state but the audit entry of an export with voter identities.
 */

import type { EvalItemAnswers, EvalItemReviewPage, EvalProgress, EvaluationResults } from '../../protocol/evaluations.ts';
import type { GoldSummary } from '../../protocol/judges.ts';
import type { IntervalMethod } from '../../protocol/types.ts';
import { type AuditLog, actorOf } from '../auth/audit.ts';
import type { ModelRegistry } from '../models/registry.ts';
import type { IntervalChoice } from '../standings/fit-methods.ts';
import { AppError } from '../transport/errors.ts';
import type { Identity } from '../transport/identity.ts';
import { type ExportVote, judgeNamer, toCsv, toJsonl } from './export.ts';
import { goldAccuracy, goldChoice } from './gold.ts';
import type { JudgeRepo } from './judges/judge-repo.ts';
import type { JudgeReport } from './judges/report.ts';
import type { EvaluationRepo, EvaluationRow } from './repo.ts';
import { agreementCategory, computeResults } from './results.ts';
import { itemJudgments, toItemReviews } from './review.ts';
import type { ItemFilter, ReviewRepo } from './review-repo.ts';

export interface EvaluationReportsDeps {
  repo: EvaluationRepo;
  review: ReviewRepo;
  judges: JudgeRepo;
  judgeReport: JudgeReport;
  registry: ModelRegistry;
  audit: AuditLog;
  bootstrapRounds: number;
  intervals: IntervalChoice;
  /** The admins' progress (with the judges' runs). */
  progress: (id: string) => EvalProgress;
}

export class EvaluationReports {
  readonly #deps: EvaluationReportsDeps;
  readonly #resultsCache = new Map<string, { key: string; results: EvaluationResults }>();

  constructor(deps: EvaluationReportsDeps) {
    this.#deps = deps;
  }

  /** `ask`: the interval method and clustering the admin asked for (else the configured ones). */
  results(id: string, ask: { ci?: IntervalMethod | undefined; clustered?: '0' | '1' | undefined } = {}): EvaluationResults {
    const { review, judgeReport, registry } = this.#deps;
    const ev = this.#get(id);
    const progress = this.#deps.progress(id);
    const runs = judgeReport.runs(id);
    const intervals: IntervalChoice = {
      ...this.#deps.intervals,
      method: ask.ci ?? this.#deps.intervals.method,
      clustered: ask.clustered === undefined ? this.#deps.intervals.clustered : ask.clustered === '1',
    };
    const key = `${progress.votes.cast}/${review.goldVotes(id).length}/${judgeReport.version(runs)}/${ev.minGoldAccuracy}/${ev.judgesInStandings}/${intervals.method}/${intervals.clustered}`;
    const cached = this.#resultsCache.get(id);
    if (cached && cached.key === key) return { ...cached.results, progress };

    const emails = review.voterEmails();
    const label = (voter: string) => emails.get(voter) ?? voter;
    const gold = this.#gold(ev, label);
    const excluded = new Set(gold.voters.filter((v) => v.excluded).map((v) => v.voter));
    const votes = review.resultVotes(id).filter((v) => !excluded.has(label(v.voter)));
    const items = new Map(review.itemInfo(id).map((i) => [i.itemId, i]));
    const models = ev.models.map((m) => ({ id: m, name: registry.get(m)?.name ?? m }));
    const opts = { models, bootstrapRounds: this.#deps.bootstrapRounds, intervals, voterLabel: label };
    const mixed = ev.judgesInStandings ? judgeReport.asVotes(runs, items) : [];
    const computed = computeResults(votes, opts, mixed);
    // The judges are measured against the people alone, even when mixed into the leaderboard.
    const people = mixed.length > 0 ? computeResults(votes, { ...opts, bootstrapRounds: 0 }) : computed;
    const humanRatings = new Map(people.leaderboard.models.filter((m) => m.rating !== null).map((m) => [m.model, m.rating!]));
    const humans = votes.map((v) => ({ itemId: v.itemId, category: agreementCategory(v) }));
    const results: EvaluationResults = {
      evaluationId: id,
      progress,
      ...computed,
      judges: judgeReport.calibrations(runs, items, humans, ev.models, humanRatings),
      gold,
      judgesInStandings: mixed.length > 0,
    };
    this.#resultsCache.set(id, { key, results });
    return results;
  }

  /** One page of items with their votes, reasons, skips and judge verdicts, for the admin's review. */
  items(id: string, page: { only: ItemFilter; offset: number; limit: number }): EvalItemReviewPage {
    const { review, judges, judgeReport, registry } = this.#deps;
    const ev = this.#get(id);
    const { total, rows } = review.items(id, page);
    const emails = review.voterEmails();
    const runs = judgeReport.runs(id);
    const calls = judges.onItems(
      runs.map((r) => r.id),
      rows.map((r) => r.itemId),
    );
    const judgeOf = new Map(runs.map((r) => [r.id, { id: r.modelId, name: registry.get(r.modelId)?.name ?? r.modelId }]));
    const items = toItemReviews(rows, review.votesOn(rows.map((r) => r.itemId)), {
      votesWanted: ev.votesPerItem,
      modelName: (m) => (m === 'gold:a' ? 'Gold answer A' : m === 'gold:b' ? 'Gold answer B' : (registry.get(m)?.name ?? m)),
      voterLabel: (voter) => emails.get(voter) ?? voter,
      judgments: (itemId) =>
        itemJudgments(
          calls.filter((c) => c.itemId === itemId),
          (runId) => judgeOf.get(runId)!,
        ),
    });
    return { total, offset: page.offset, items };
  }

  /** Both stored answers of one item, by model (a gold item's two fixed answers). */
  itemAnswers(id: string, itemId: string): EvalItemAnswers {
    const { repo } = this.#deps;
    const item = repo.item(itemId);
    if (!item || item.evaluationId !== this.#get(id).id) throw new AppError('not_found', 'no such item in this evaluation', { field: 'itemId' });
    const prompt = repo.prompt(item.promptId)!;
    const answers = repo.answersOf(item.promptId, [item.modelX, item.modelY]);
    const [x, y] = prompt.gold ? [prompt.gold.a, prompt.gold.b] : [answers.get(item.modelX) ?? [], answers.get(item.modelY) ?? []];
    return { itemId, turns: prompt.turns.map((text, t) => ({ prompt: text, x: x[t] ?? '', y: y[t] ?? '' })) };
  }

  /** Every vote as FastChat JSONL or CSV; `judges` adds the judge models' outcomes, marked as such. */
  async export(admin: Identity, id: string, format: 'csv' | 'jsonl', opts: { identities: boolean; judges: boolean }): Promise<string> {
    const ev = this.#get(id);
    const emails = opts.identities ? this.#deps.review.voterEmails() : null;
    const judge = judgeNamer(emails ? (voter) => emails.get(voter) ?? voter : null);
    const votes: ExportVote[] = this.#deps.review.exportVotes(id).map((v) => ({ ...v, evaluationId: id, kind: 'human' as const }));
    if (opts.judges) votes.push(...this.#judgeExports(ev));
    if (opts.identities) {
      await this.#deps.audit.record(actorOf(admin), 'evaluation.export', `evaluation:${id}`, { format, identities: true, votes: votes.length });
    }
    return format === 'csv' ? toCsv(votes, judge) : toJsonl(votes, judge);
  }

  #judgeExports(ev: EvaluationRow): ExportVote[] {
    const { review, judgeReport, repo } = this.#deps;
    const info = review.itemInfo(ev.id);
    const items = new Map(info.map((i) => [i.itemId, i]));
    return judgeReport.asVotes(judgeReport.runs(ev.id), items).map((v) => {
      const i = items.get(v.itemId)!;
      const item = repo.item(v.itemId)!;
      const answers = repo.answersOf(item.promptId, [i.modelX, i.modelY]);
      return {
        evaluationId: ev.id,
        questionId: i.questionId,
        category: i.category,
        turns: i.turns,
        modelA: v.modelA,
        modelB: v.modelB,
        answersA: answers.get(v.modelA) ?? [],
        answersB: answers.get(v.modelB) ?? [],
        winner: v.winner,
        voterId: v.voter,
        reason: null,
        createdAt: v.createdAt,
        kind: 'model' as const,
      };
    });
  }

  #gold(ev: EvaluationRow, label: (voter: string) => string): GoldSummary {
    const votes = this.#deps.review.goldVotes(ev.id).map((v) => ({ voter: label(v.voter), choice: agreementCategory(v), expected: goldChoice(v.gold) }));
    return { items: this.#deps.repo.goldCount(ev.id), minAccuracy: ev.minGoldAccuracy, voters: goldAccuracy(votes, ev.minGoldAccuracy) };
  }

  #get(id: string): EvaluationRow {
    const ev = this.#deps.repo.get(id);
    if (!ev) throw new AppError('not_found', 'no such evaluation', { field: 'evaluationId' });
    return ev;
  }
}
