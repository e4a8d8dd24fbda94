/**
 * Evaluation campaigns: create from a prompt file or past battles, edit a draft, start
 * (pre-generation), hand items to voters (gold items mixed in, skips passed on), take votes,
 * judge with models, close, re-run with a new model, and compute results and exports.
 * Authorization is checked by the transport; the rules about states and items live here.
 */

import type {
  EvalItem,
  EvalProgress,
  EvaluationCreateInput,
  EvaluationDetail,
  EvaluationEditInput,
  EvaluationSummary,
  EvalVoteInput,
  VoterEvaluation,
  VoterProgress,
} from '../../protocol/evaluations.ts';
import type { BattleFilter, BattlePromptsPreview, JudgeEstimate, JudgeStartInput, RerunInput } from '../../protocol/judges.ts';
import { type AuditLog, actorOf } from '../auth/audit.ts';
import type { ModelRegistry } from '../models/registry.ts';
import type { IntervalChoice } from '../standings/fit-methods.ts';
import { AppError } from '../transport/errors.ts';
import type { Identity } from '../transport/identity.ts';
import type { VoteRecorder } from '../voting/recorder.ts';
import { type AuthoringDeps, EvaluationAuthoring } from './authoring.ts';
import { battlePrompts } from './battle-prompts.ts';
import type { GenerationRunner } from './generation.ts';
import { itemCategories } from './item-view.ts';
import type { JudgeRepo } from './judges/judge-repo.ts';
import { JudgeReport } from './judges/report.ts';
import type { JudgeRunner } from './judges/runner.ts';
import { JudgeService } from './judges/service.ts';
import type { EvaluationRepo, EvaluationRow } from './repo.ts';
import { EvaluationReports } from './reports.ts';
import type { ReviewRepo } from './review-repo.ts';
import { detailOf, progressOf, summaryOf, voterEvaluationsOf } from './views.ts';
import { isGoldItem, VoterQueue } from './voter-queue.ts';

export interface EvaluationServiceDeps extends Pick<AuthoringDeps, 'battles' | 'battleCategories'> {
  repo: EvaluationRepo;
  review: ReviewRepo;
  judges: JudgeRepo;
  registry: ModelRegistry;
  runner: GenerationRunner;
  judgeRunner: JudgeRunner;
  audit: AuditLog;
  random: () => number;
  now: () => number;
  leaseMs: number;
  bootstrapRounds: number;
  /** The results' interval method and prior (config `evaluations.intervals`). */
  intervals: IntervalChoice;
  judgeCapUsd: number;
  judgeOutputTokens: number;
  /** Where votes are recorded (and, for evaluations that count in public, the public Elo updated). */
  voting: VoteRecorder;
  /** Progress of this evaluation changed (votes, generations, judging, status): what voters and what admins are sent. */
  onProgress: (progress: EvalProgress, admins: EvalProgress) => void;
}

type CreateInput = Omit<EvaluationCreateInput, 'description' | 'votesPerItem' | 'countInPublicLeaderboard'> & {
  description: string;
  votesPerItem: number;
  countInPublicLeaderboard: boolean;
};

export class EvaluationService {
  readonly #deps: EvaluationServiceDeps;
  readonly #authoring: EvaluationAuthoring;
  readonly #queue: VoterQueue;
  readonly #judging: JudgeService;
  /** What admins read about an evaluation: results, the per-item review, exports. */
  readonly reports: EvaluationReports;

  constructor(deps: EvaluationServiceDeps) {
    this.#deps = deps;
    this.#authoring = new EvaluationAuthoring(deps);
    this.#queue = new VoterQueue(deps);
    this.#judging = new JudgeService({
      ...deps,
      runner: deps.judgeRunner,
      defaultCapUsd: deps.judgeCapUsd,
      outputTokensEstimate: deps.judgeOutputTokens,
    });
    const judgeReport = new JudgeReport(deps.judges, deps.registry);
    this.reports = new EvaluationReports({ ...deps, judgeReport, progress: (id) => this.adminProgress(id) });
  }

  async create(admin: Identity, input: CreateInput): Promise<EvaluationDetail> {
    return this.detail(await this.#authoring.create(admin, input));
  }

  /** Edits a draft (every field), or a started evaluation's name, description and result options. */
  async edit(admin: Identity, id: string, input: EvaluationEditInput): Promise<EvaluationDetail> {
    await this.#authoring.edit(admin, this.#get(id), input);
    this.#changed(id);
    return this.detail(id);
  }

  /** A new draft with the same prompts: `model` against the stored answers of the old models. */
  async rerun(admin: Identity, id: string, input: RerunInput): Promise<EvaluationDetail> {
    return this.detail(await this.#authoring.rerun(admin, this.#get(id), input));
  }

  /** Starts judge models on the evaluation (or, with `dryRun`, only estimates their cost). */
  async judge(
    admin: Identity,
    id: string,
    input: Omit<JudgeStartInput, 'dryRun'> & { dryRun: boolean },
  ): Promise<{ estimate: JudgeEstimate; started: boolean }> {
    const answer = await this.#judging.start(admin, this.#get(id), input);
    if (answer.started) this.#changed(id);
    return answer;
  }

  /** What a battles filter would import as prompts (duplicates removed). */
  battlePrompts(filter: BattleFilter): BattlePromptsPreview {
    return battlePrompts(this.#deps.battles, filter, this.#deps.battleCategories, '');
  }

  list(): EvaluationSummary[] {
    return this.#deps.repo.list().map((ev) => summaryOf(this.#deps.repo, this.#deps.registry, ev));
  }

  detail(id: string): EvaluationDetail {
    return { ...detailOf(this.#deps.repo, this.#deps.registry, this.#get(id)), progress: this.adminProgress(id) };
  }

  async start(admin: Identity, id: string): Promise<EvaluationDetail> {
    const ev = this.#get(id);
    if (ev.status !== 'draft') throw new AppError('conflict', `the evaluation is ${ev.status}; only a draft can be started`);
    this.#deps.repo.setStatus(id, 'running', new Date(this.#deps.now()));
    await this.#deps.audit.record(actorOf(admin), 'evaluation.start', `evaluation:${id}`, { name: ev.name });
    this.#deps.runner.kick();
    this.#changed(id);
    return this.detail(id);
  }

  async close(admin: Identity, id: string): Promise<EvaluationDetail> {
    const ev = this.#get(id);
    if (ev.status === 'closed') throw new AppError('conflict', 'the evaluation is already closed');
    this.#deps.repo.setStatus(id, 'closed', new Date(this.#deps.now()));
    await this.#deps.runner.cancel(id);
    await this.#deps.audit.record(actorOf(admin), 'evaluation.close', `evaluation:${id}`, { name: ev.name, votes: this.progress(id).votes.cast });
    this.#changed(id);
    return this.detail(id);
  }

  /** Undoes a close: back to running (voting and generation resume), or to draft if it never started. */
  async reopen(admin: Identity, id: string): Promise<EvaluationDetail> {
    const ev = this.#get(id);
    if (ev.status !== 'closed') throw new AppError('conflict', `the evaluation is ${ev.status}; only a closed evaluation can be reopened`);
    const status = ev.startedAt ? 'running' : 'draft';
    this.#deps.repo.reopen(id, status);
    await this.#deps.audit.record(actorOf(admin), 'evaluation.reopen', `evaluation:${id}`, { name: ev.name, status });
    if (status === 'running') this.#deps.runner.kick();
    this.#changed(id);
    return this.detail(id);
  }

  async retryFailed(admin: Identity, id: string): Promise<EvaluationDetail> {
    const ev = this.#get(id);
    if (ev.status !== 'running') throw new AppError('conflict', 'failed answers can be retried while the evaluation runs');
    const requeued = this.#deps.repo.requeueFailed(id);
    await this.#deps.audit.record(actorOf(admin), 'evaluation.retry', `evaluation:${id}`, { requeued });
    this.#deps.runner.kick();
    this.#changed(id);
    return this.detail(id);
  }

  /** Counts only, for voters too. */
  progress(id: string): EvalProgress {
    return progressOf(this.#deps.repo, this.#get(id));
  }

  /** What admins follow: the counts and every judge model's run. */
  adminProgress(id: string): EvalProgress {
    return { ...this.progress(id), judges: this.#judging.progress(id) };
  }

  /** Running evaluations, for the voter page. */
  forVoter(voterId: string): VoterEvaluation[] {
    return voterEvaluationsOf(this.#deps.repo, voterId);
  }

  /** Voters may only follow running evaluations; admins any (checked by the caller). */
  requireRunning(id: string): void {
    if (this.#get(id).status !== 'running') throw new AppError('not_found', 'no running evaluation with this id', { field: 'evaluationId' });
  }

  /** The item this voter holds, else the least-covered open one (gold items mixed in), leased to them, sides drawn at random. */
  next(voterId: string, evaluationId: string): { item: EvalItem | null; progress: VoterProgress } {
    return this.#queue.next(this.#running(evaluationId), voterId);
  }

  /** The voter passes on the item in hand: it is never handed to them again and goes to someone else. */
  skip(voterId: string, input: { evaluationId: string; itemId: string }): { item: EvalItem | null; progress: VoterProgress } {
    return this.#queue.skip(this.#running(input.evaluationId), voterId, input.itemId);
  }

  /** Records a vote through server/voting (group commit, exactly once by voteId); resolves after COMMIT. */
  async vote(voterId: string, input: EvalVoteInput): Promise<{ progress: VoterProgress }> {
    const { repo } = this.#deps;
    const outcome = await this.#deps.voting.record<{ evaluationId: string; resent?: true; refused?: AppError }>(input.voteId, {
      earlier: (id) => {
        const earlier = repo.voteByVoteId(id);
        if (!earlier) return undefined;
        // A re-sent vote (lost ack): the same answer, counted once.
        return {
          same: earlier.itemId === input.itemId && earlier.voterId === voterId && earlier.winner === input.winner,
          answer: () => ({ evaluationId: input.evaluationId, resent: true }),
        };
      },
      write: (categorize) => {
        const ev = this.#running(input.evaluationId);
        const assignment = repo.assignment(input.itemId, voterId);
        if (!assignment || assignment.evaluationId !== ev.id) {
          if (repo.voteOf(input.itemId, voterId)) throw new AppError('already_voted', 'you have already judged this item');
          throw new AppError('not_found', 'this item was not handed to you', { field: 'itemId' });
        }
        // A lease that ran out may have let others fill the item meanwhile: never exceed votesPerItem.
        // The stale hold is released (committed), then the vote refused.
        if (assignment.expiresAt.getTime() < this.#deps.now() && repo.votesOnItem(input.itemId) >= ev.votesPerItem) {
          repo.release(input.itemId, voterId);
          return {
            counts: null,
            answer: {
              evaluationId: ev.id,
              refused: new AppError('conflict', 'this item got all its votes while it waited; here is the next one', { field: 'itemId' }),
            },
          };
        }
        const item = repo.item(input.itemId);
        if (!item) throw new AppError('not_found', 'no such item', { field: 'itemId' });
        const [modelA, modelB] = assignment.swapped ? [item.modelY, item.modelX] : [item.modelX, item.modelY];
        const [categories, at] = [itemCategories(repo, item, categorize), this.#deps.now()];
        const rowId = repo.insertVote({
          evaluationId: ev.id,
          itemId: item.id,
          voterId,
          voteId: input.voteId ?? null,
          modelA,
          modelB,
          winner: input.winner,
          reason: input.reason?.trim() || null,
          categories,
          createdAt: new Date(at),
        });
        // A gold item compares fixed answers, not models: never in the public standings.
        const counts = ev.countInPublic && !isGoldItem(item) ? { modelA, modelB, winner: input.winner } : null;
        const filed = { source: 'evaluation', rowId, categories, visibility: counts ? 'public' : 'private', at } as const;
        return { counts, filed, answer: { evaluationId: ev.id } };
      },
    });
    if (outcome.refused) throw outcome.refused;
    if (!outcome.resent) this.#changed(outcome.evaluationId);
    return { progress: this.voterProgress(this.#get(outcome.evaluationId), voterId) };
  }

  voterProgress(ev: EvaluationRow, voterId: string): VoterProgress {
    return this.#queue.progress(ev, voterId);
  }

  /**
   * At start-up: answers and judge calls interrupted by a crash or shutdown start over (this
   * instance's own when it has peers: theirs are still running); running evaluations continue.
   */
  resume(opts: { alone: boolean } = { alone: true }): void {
    this.#deps.repo.requeueRunning(opts);
    this.#deps.judges.requeueRunning(opts);
    this.#deps.runner.kick();
    this.#deps.judgeRunner.kick();
  }

  #get(id: string): EvaluationRow {
    const ev = this.#deps.repo.get(id);
    if (!ev) throw new AppError('not_found', 'no such evaluation', { field: 'evaluationId' });
    return ev;
  }

  #running(id: string): EvaluationRow {
    const ev = this.#get(id);
    if (ev.status !== 'running') {
      throw new AppError('conflict', ev.status === 'closed' ? 'this evaluation is closed' : 'this evaluation has not started');
    }
    return ev;
  }

  #changed(id: string): void {
    this.#deps.onProgress(this.progress(id), this.adminProgress(id));
  }

  /** Called by the generation and judge runners. */
  generationChanged(id: string): void {
    if (this.#deps.repo.get(id)) this.#changed(id);
  }
}
