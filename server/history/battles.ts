/**
 * Battle history: the caller's past battles (an admin's: everyone's), searchable and paged, and a
 * battle's permanent page with both conversations. Models are named only once a battle is voted:
 * an unvoted, failed or abandoned battle never says who answered it, to anyone.
 */
import type { Db } from '../../db/client.ts';
import { type BattleDetail, type BattleSummary, battleHistoryQuerySchema, type CategoryId } from '../../protocol/standings.ts';
import type { RevealedModels } from '../../protocol/types.ts';
import { battleView } from '../arena/battle-view.ts';
import { BattleRepo } from '../arena/repo.ts';
import type { ModelRegistry } from '../models/registry.ts';
import { AppError } from '../transport/errors.ts';
import type { Identity } from '../transport/identity.ts';
import { parseInput } from '../transport/validation.ts';
import { categoriesOf } from './categories.ts';
import type { HistoryRepo, HistoryRow } from './repo.ts';
import { type HistoryScope, historyScope, inScope } from './scope.ts';

const PROMPT_CHARS = 300;

export class BattleHistory {
  readonly #db: Db;
  readonly #repo: HistoryRepo;
  readonly #battles: BattleRepo;
  readonly #registry: ModelRegistry;

  constructor(deps: { db: Db; repo: HistoryRepo; registry: ModelRegistry }) {
    this.#db = deps.db;
    this.#repo = deps.repo;
    this.#battles = new BattleRepo(deps.db);
    this.#registry = deps.registry;
  }

  list(identity: Identity, query: unknown): { battles: BattleSummary[]; total: number } {
    const q = parseInput(battleHistoryQuerySchema, query);
    const scope = historyScope(identity);
    if (scope.kind === 'none') throw new AppError('unauthorized', 'sign in to see your battles');
    const { rows, total } = this.#repo.list(
      scope,
      { q: q.q, model: q.model, category: q.category as CategoryId | undefined },
      { offset: q.offset, limit: q.limit },
    );
    return { battles: this.#summaries(rows), total: total ?? rows.length };
  }

  /** The newest voted battles of this model the caller may see. */
  recentWith(scope: HistoryScope, modelId: string, limit: number): BattleSummary[] {
    if (scope.kind === 'none') return [];
    return this.#summaries(this.#repo.list(scope, { model: modelId }, { offset: 0, limit, count: false }).rows);
  }

  detail(identity: Identity, battleId: string): BattleDetail {
    const battle = this.#battles.getBattle(battleId);
    // Someone else's battle answers exactly like a missing one: ids are not an oracle.
    if (!battle || !inScope(historyScope(identity), battle.voterId)) throw new AppError('not_found', 'no such battle', { field: 'id' });
    const turns = this.#battles.getTurns(battleId);
    const vote = this.#battles.getVote(battleId);
    const voted = battle.status === 'voted' && vote !== undefined;
    const view = battleView(battle, { turns, answers: this.#battles.getAnswers(battleId), vote }, undefined, () => this.#reveal(battle.modelA, battle.modelB));
    const summary = summaryOf(
      {
        id: battle.id,
        createdAt: battle.createdAt.getTime(),
        status: battle.status,
        mode: battle.mode,
        turns: battle.turns,
        prompt: turns[0] ? Array.from(turns[0].prompt).slice(0, PROMPT_CHARS).join('') : null,
        modelA: voted ? battle.modelA : null,
        modelB: voted ? battle.modelB : null,
        winner: voted ? vote.winner : null,
      },
      categoriesOf(this.#db.$client, [battle.id]).get(battle.id) ?? [],
      (a, b) => this.#reveal(a, b),
    );
    return { ...summary, conversation: view.turns };
  }

  #summaries(rows: HistoryRow[]): BattleSummary[] {
    const categories = categoriesOf(
      this.#db.$client,
      rows.map((r) => r.id),
    );
    return rows.map((r) => summaryOf(r, categories.get(r.id) ?? [], (a, b) => this.#reveal(a, b)));
  }

  #reveal(a: string, b: string): RevealedModels {
    const named = (id: string) => ({ id, name: this.#registry.get(id)?.name ?? id });
    return { a: named(a), b: named(b) };
  }
}

/** A row as a list shows it; the models only when the row carries them (voted battles). */
export function summaryOf(row: HistoryRow, categories: BattleSummary['categories'], reveal: (a: string, b: string) => RevealedModels): BattleSummary {
  const voted = row.status === 'voted' && row.winner !== null && row.modelA !== null && row.modelB !== null;
  return {
    id: row.id,
    createdAt: new Date(row.createdAt).toISOString(),
    status: row.status,
    mode: row.mode,
    prompt: row.prompt ?? '',
    turns: row.turns,
    models: voted ? reveal(row.modelA!, row.modelB!) : null,
    winner: voted ? row.winner : null,
    categories,
  };
}
