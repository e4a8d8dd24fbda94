/**
 * Evaluation campaigns: create from a prompt file, start (pre-generation), hand items to voters,
 * take votes, close, and compute results and exports. Authorization is checked by the transport;
 * the rules about states and items live here.
 */
import { randomUUID } from 'node:crypto';
import type {
  EvalItem,
  EvalProgress,
  EvaluationCreateInput,
  EvaluationDetail,
  EvaluationSummary,
  EvalVoteInput,
  VoterEvaluation,
  VoterProgress,
} from '../../protocol/evaluations.ts';
import { EVAL_LIMITS } from '../../protocol/evaluations.ts';
import { type AuditLog, actorOf } from '../auth/audit.ts';
import type { ModelRegistry } from '../models/registry.ts';
import { AppError } from '../transport/errors.ts';
import type { Identity } from '../transport/identity.ts';
import type { VoteRecorder } from '../voting/recorder.ts';
import { modelPairs, openToVoter, pickNextItem } from './assignment.ts';
import type { GenerationRunner } from './generation.ts';
import { PromptImportError } from './import-error.ts';
import { itemCategories, itemView } from './item-view.ts';
import { importPrompts, unusedId } from './prompt-import.ts';
import type { EvaluationRepo, EvaluationRow } from './repo.ts';
import { EvaluationReports } from './reports.ts';
import type { ReviewRepo } from './review-repo.ts';
import { detailOf, progressOf, summaryOf, voterEvaluationsOf } from './views.ts';

export interface EvaluationServiceDeps {
  repo: EvaluationRepo;
  review: ReviewRepo;
  registry: ModelRegistry;
  runner: GenerationRunner;
  audit: AuditLog;
  random: () => number;
  now: () => number;
  leaseMs: number;
  bootstrapRounds: number;
  /** Where votes are recorded (and, for evaluations that count in public, the public Elo updated). */
  voting: VoteRecorder;
  /** Progress of this evaluation changed (votes, generations, status). */
  onProgress: (progress: EvalProgress) => void;
}

type CreateInput = Omit<EvaluationCreateInput, 'description' | 'votesPerItem' | 'countInPublicLeaderboard'> & {
  description: string;
  votesPerItem: number;
  countInPublicLeaderboard: boolean;
};

export class EvaluationService {
  readonly #deps: EvaluationServiceDeps;
  /** What admins read about an evaluation: results, the per-item review, exports. */
  readonly reports: EvaluationReports;

  constructor(deps: EvaluationServiceDeps) {
    this.#deps = deps;
    this.reports = new EvaluationReports({ ...deps, progress: (id) => this.progress(id) });
  }

  create(admin: Identity, input: CreateInput): EvaluationDetail {
    const { repo, registry } = this.#deps;
    input.models.forEach((id, i) => {
      if (!registry.get(id)?.enabled) throw new AppError('invalid_input', `models[${i}]: no enabled model "${id}"`, { field: `models[${i}]` });
    });
    const { prompts, problems } = importPrompts(input.prompts.format, input.prompts.content);
    if (problems.length > 0) throw new PromptImportError(problems);
    const pairs = modelPairs(input.models);
    if (pairs.length * prompts.length > EVAL_LIMITS.items) {
      throw new AppError('invalid_input', `${prompts.length} prompts × ${pairs.length} model pairs is more than ${EVAL_LIMITS.items} items`, {
        field: 'models',
      });
    }
    const taken = new Set(prompts.map((p) => p.id).filter((id): id is string => id !== null));
    const id = randomUUID();
    repo.create({
      evaluation: {
        id,
        name: input.name,
        description: input.description,
        models: input.models,
        votesPerItem: input.votesPerItem,
        systemPrompt: input.systemPrompt ?? null,
        temperature: input.temperature ?? null,
        maxTokens: input.maxTokens ?? null,
        countInPublic: input.countInPublicLeaderboard,
        createdBy: admin.userId === null ? null : Number(admin.userId),
        createdAt: new Date(this.#deps.now()),
      },
      prompts: prompts.map((p, i) => ({ questionId: p.id ?? unusedId(taken, i + 1), category: p.category, turns: p.turns })),
      pairs,
      newItemId: randomUUID,
    });
    this.#deps.audit.record(actorOf(admin), 'evaluation.create', `evaluation:${id}`, {
      name: input.name,
      models: input.models,
      prompts: prompts.length,
      votesPerItem: input.votesPerItem,
      countInPublicLeaderboard: input.countInPublicLeaderboard,
    });
    return this.detail(id);
  }

  list(): EvaluationSummary[] {
    return this.#deps.repo.list().map((ev) => summaryOf(this.#deps.repo, this.#deps.registry, ev));
  }

  detail(id: string): EvaluationDetail {
    return detailOf(this.#deps.repo, this.#deps.registry, this.#get(id));
  }

  start(admin: Identity, id: string): EvaluationDetail {
    const ev = this.#get(id);
    if (ev.status !== 'draft') throw new AppError('conflict', `the evaluation is ${ev.status}; only a draft can be started`);
    this.#deps.repo.setStatus(id, 'running', new Date(this.#deps.now()));
    this.#deps.audit.record(actorOf(admin), 'evaluation.start', `evaluation:${id}`, { name: ev.name });
    this.#deps.runner.kick();
    this.#changed(id);
    return this.detail(id);
  }

  async close(admin: Identity, id: string): Promise<EvaluationDetail> {
    const ev = this.#get(id);
    if (ev.status === 'closed') throw new AppError('conflict', 'the evaluation is already closed');
    this.#deps.repo.setStatus(id, 'closed', new Date(this.#deps.now()));
    await this.#deps.runner.cancel(id);
    this.#deps.audit.record(actorOf(admin), 'evaluation.close', `evaluation:${id}`, { name: ev.name, votes: this.progress(id).votes.cast });
    this.#changed(id);
    return this.detail(id);
  }

  /** Undoes a close: back to running (voting and generation resume), or to draft if it never started. */
  reopen(admin: Identity, id: string): EvaluationDetail {
    const ev = this.#get(id);
    if (ev.status !== 'closed') throw new AppError('conflict', `the evaluation is ${ev.status}; only a closed evaluation can be reopened`);
    const status = ev.startedAt ? 'running' : 'draft';
    this.#deps.repo.reopen(id, status);
    this.#deps.audit.record(actorOf(admin), 'evaluation.reopen', `evaluation:${id}`, { name: ev.name, status });
    if (status === 'running') this.#deps.runner.kick();
    this.#changed(id);
    return this.detail(id);
  }

  retryFailed(admin: Identity, id: string): EvaluationDetail {
    const ev = this.#get(id);
    if (ev.status !== 'running') throw new AppError('conflict', 'failed answers can be retried while the evaluation runs');
    const requeued = this.#deps.repo.requeueFailed(id);
    this.#deps.audit.record(actorOf(admin), 'evaluation.retry', `evaluation:${id}`, { requeued });
    this.#deps.runner.kick();
    this.#changed(id);
    return this.detail(id);
  }

  progress(id: string): EvalProgress {
    return progressOf(this.#deps.repo, this.#get(id));
  }

  /** Running evaluations, for the voter page. */
  forVoter(voterId: string): VoterEvaluation[] {
    return voterEvaluationsOf(this.#deps.repo, voterId);
  }

  /** Voters may only follow running evaluations; admins any (checked by the caller). */
  requireRunning(id: string): void {
    if (this.#get(id).status !== 'running') throw new AppError('not_found', 'no running evaluation with this id', { field: 'evaluationId' });
  }

  /** The item this voter holds, else the least-covered open one (leased to them, sides drawn at random). */
  next(voterId: string, evaluationId: string): { item: EvalItem | null; progress: VoterProgress } {
    const ev = this.#running(evaluationId);
    const { repo, now } = this.#deps;
    let assignment = repo.heldAssignment(evaluationId, voterId);
    if (assignment && assignment.expiresAt.getTime() < now() && repo.votesOnItem(assignment.itemId) >= ev.votesPerItem) {
      // Held too long and filled by others meanwhile: hand out a fresh item instead.
      repo.release(assignment.itemId, voterId);
      assignment = undefined;
    }
    if (!assignment) {
      const at = now();
      const itemId = pickNextItem(repo.candidates(evaluationId, voterId, new Date(at)), ev.votesPerItem, this.#deps.random);
      if (itemId) {
        assignment = {
          itemId,
          voterId,
          evaluationId,
          swapped: this.#deps.random() < 0.5,
          createdAt: new Date(at),
          expiresAt: new Date(at + this.#deps.leaseMs),
        };
        repo.assign(assignment);
      }
    }
    return { item: assignment ? itemView(this.#deps.repo, ev.id, assignment.itemId, assignment.swapped) : null, progress: this.voterProgress(ev, voterId) };
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
        const filed = { source: 'evaluation', rowId, categories, visibility: ev.countInPublic ? 'public' : 'private', at } as const;
        return { counts: ev.countInPublic ? { modelA, modelB, winner: input.winner } : null, filed, answer: { evaluationId: ev.id } };
      },
    });
    if (outcome.refused) throw outcome.refused;
    if (!outcome.resent) this.#changed(outcome.evaluationId);
    return { progress: this.voterProgress(this.#get(outcome.evaluationId), voterId) };
  }

  voterProgress(ev: EvaluationRow, voterId: string): VoterProgress {
    const { repo, now } = this.#deps;
    const open = new Set(
      repo
        .candidates(ev.id, voterId, new Date(now()))
        .filter((c) => openToVoter(c, ev.votesPerItem))
        .map((c) => c.itemId),
    );
    // The item in hand counts once, even if others filled it meanwhile.
    const held = repo.heldAssignment(ev.id, voterId);
    if (held) open.add(held.itemId);
    return { done: repo.votesBy(ev.id, voterId), remaining: open.size };
  }

  /** At start-up: answers interrupted by a crash or shutdown start over; running evaluations continue. */
  resume(): void {
    this.#deps.repo.requeueRunning();
    this.#deps.runner.kick();
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
    this.#deps.onProgress(this.progress(id));
  }

  /** Called by the generation runner. */
  generationChanged(id: string): void {
    if (this.#deps.repo.get(id)) this.#changed(id);
  }
}
