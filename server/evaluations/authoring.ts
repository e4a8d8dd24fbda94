/**
 * Writing evaluations: create one from a prompt file or past battles, edit a draft (and a started
 * one's name, description and result options), and re-run a prompt set with a new model against
 * the stored answers of the old ones. The rules live here; the SQL in repo.ts and content-repo.ts.
 */
import { randomUUID } from 'node:crypto';
import type { EvaluationCreateInput, EvaluationEditInput, PromptSource } from '../../protocol/evaluations.ts';
import { EDITABLE_WHEN_STARTED, EVAL_LIMITS } from '../../protocol/evaluations.ts';
import type { RerunInput } from '../../protocol/judges.ts';
import { type AuditLog, actorOf } from '../auth/audit.ts';
import type { ModelRegistry } from '../models/registry.ts';
import { AppError } from '../transport/errors.ts';
import type { Identity } from '../transport/identity.ts';
import { modelPairs } from './assignment.ts';
import { asImported, type BattleCategoryHook, battlePrompts } from './battle-prompts.ts';
import type { BattlePromptsRepo } from './battle-prompts-repo.ts';
import type { NewContent, NewPrompt } from './content-repo.ts';
import { PromptImportError } from './import-error.ts';
import { type ImportedPrompt, importPrompts, unusedId } from './prompt-import.ts';
import type { EvaluationRepo, EvaluationRow } from './repo.ts';

export interface AuthoringDeps {
  repo: EvaluationRepo;
  registry: ModelRegistry;
  audit: AuditLog;
  now: () => number;
  battles: BattlePromptsRepo;
  battleCategories?: BattleCategoryHook | undefined;
}

type CreateInput = Omit<EvaluationCreateInput, 'description' | 'votesPerItem' | 'countInPublicLeaderboard'> & {
  description: string;
  votesPerItem: number;
  countInPublicLeaderboard: boolean;
};

export class EvaluationAuthoring {
  readonly #deps: AuthoringDeps;
  constructor(deps: AuthoringDeps) {
    this.#deps = deps;
  }

  async create(admin: Identity, input: CreateInput): Promise<string> {
    this.#checkModels(input.models, 'models');
    const prompts = this.#prompts(input.prompts);
    const content = this.#content(input.models, prompts);
    const id = randomUUID();
    this.#deps.repo.create(
      {
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
      content,
    );
    await this.#deps.audit.record(actorOf(admin), 'evaluation.create', `evaluation:${id}`, {
      name: input.name,
      models: input.models,
      prompts: prompts.length,
      source: input.prompts.format,
      votesPerItem: input.votesPerItem,
      countInPublicLeaderboard: input.countInPublicLeaderboard,
    });
    return id;
  }

  async edit(admin: Identity, ev: EvaluationRow, input: EvaluationEditInput): Promise<void> {
    const fields = Object.keys(input) as Array<keyof EvaluationEditInput>;
    if (ev.status !== 'draft') {
      const locked = fields.find((f) => !(EDITABLE_WHEN_STARTED as readonly string[]).includes(f));
      if (locked) throw new AppError('conflict', `${locked}: can only be changed while the evaluation is a draft`, { field: locked });
    }
    if (input.models) this.#checkModels(input.models, 'models');
    const { models: _models, countInPublicLeaderboard, prompts: source, ...plain } = input;
    const set = {
      ...plain,
      ...(input.models && { models: input.models }),
      ...(countInPublicLeaderboard !== undefined && { countInPublic: countInPublicLeaderboard }),
    };
    let content: Omit<NewContent, 'evaluationId' | 'models'> | undefined;
    if (source || input.models) {
      const prompts = source
        ? this.#prompts(source)
        : this.#deps.repo.prompts(ev.id).map((p) => ({ id: p.questionId, category: p.category, turns: p.turns, gold: p.gold }));
      content = this.#content(input.models ?? ev.models, prompts);
    }
    this.#deps.repo.update(ev.id, set, content);
    await this.#deps.audit.record(actorOf(admin), 'evaluation.edit', `evaluation:${ev.id}`, { name: input.name ?? ev.name, fields });
  }

  /** A new draft: the same prompts, `model` paired with each of `against`, whose stored answers are reused. */
  async rerun(admin: Identity, ev: EvaluationRow, input: RerunInput): Promise<string> {
    const { repo, registry } = this.#deps;
    if (ev.status === 'draft') throw new AppError('conflict', 'a draft has no answers to reuse yet: start it first');
    if (ev.models.includes(input.model)) throw new AppError('invalid_input', `model: "${input.model}" is already in this evaluation`, { field: 'model' });
    this.#checkModels([input.model], 'model');
    const against = input.against ?? ev.models;
    against.forEach((m, i) => {
      if (!ev.models.includes(m)) throw new AppError('invalid_input', `against[${i}]: "${m}" is not a model of this evaluation`, { field: `against[${i}]` });
    });
    const stored = repo.doneAnswers(ev.id, against);
    const prompts: NewPrompt[] = repo.prompts(ev.id).map((p) => ({
      questionId: p.questionId,
      category: p.category,
      turns: p.turns,
      gold: p.gold,
      ...(stored.has(p.id) && { answers: stored.get(p.id)! }),
    }));
    const pairs = against.map((m): [string, string] => (m < input.model ? [m, input.model] : [input.model, m]));
    const id = randomUUID();
    const name = input.name ?? `${ev.name} — re-run with ${registry.get(input.model)?.name ?? input.model}`;
    repo.create(
      {
        ...ev,
        id,
        name,
        models: [...against, input.model],
        status: 'draft',
        baseEvaluationId: ev.id,
        createdBy: admin.userId === null ? null : Number(admin.userId),
        createdAt: new Date(this.#deps.now()),
        startedAt: null,
        closedAt: null,
      },
      { prompts, pairs, newItemId: randomUUID },
    );
    await this.#deps.audit.record(actorOf(admin), 'evaluation.rerun', `evaluation:${id}`, { name, base: ev.id, model: input.model, against });
    return id;
  }

  #checkModels(models: readonly string[], field: string): void {
    models.forEach((id, i) => {
      const at = field === 'model' ? field : `${field}[${i}]`;
      if (!this.#deps.registry.get(id)?.enabled) throw new AppError('invalid_input', `${at}: no enabled model "${id}"`, { field: at });
    });
  }

  #prompts(source: PromptSource): ImportedPrompt[] {
    if (source.format === 'battles') {
      const prompts = asImported(battlePrompts(this.#deps.battles, source.filter, this.#deps.battleCategories, 'prompts.filter'));
      if (prompts.length === 0) throw new AppError('invalid_input', 'prompts.filter: no arena battle matches this filter', { field: 'prompts.filter' });
      return prompts;
    }
    const { prompts, problems } = importPrompts(source.format, source.content);
    if (problems.length > 0) throw new PromptImportError(problems);
    return prompts;
  }

  #content(models: readonly string[], prompts: readonly ImportedPrompt[]): Omit<NewContent, 'evaluationId' | 'models'> {
    const pairs = modelPairs(models);
    const judged = prompts.filter((p) => !p.gold).length;
    if (pairs.length * judged > EVAL_LIMITS.items) {
      throw new AppError('invalid_input', `${judged} prompts × ${pairs.length} model pairs is more than ${EVAL_LIMITS.items} items`, { field: 'models' });
    }
    if (judged === 0) throw new AppError('invalid_input', 'prompts: every prompt is a gold item; add prompts for the models to answer', { field: 'prompts' });
    const taken = new Set(prompts.map((p) => p.id).filter((id): id is string => id !== null));
    return {
      prompts: prompts.map((p, i) => ({ questionId: p.id ?? unusedId(taken, i + 1), category: p.category, turns: p.turns, gold: p.gold })),
      pairs,
      newItemId: randomUUID,
    };
  }
}
