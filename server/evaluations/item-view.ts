/** What a voter sees of an item: prompts and both answers, sides as drawn for them; nothing names a model. */
import type { EvalItem } from '../../protocol/evaluations.ts';
import type { CategoryId } from '../../protocol/standings.ts';
import type { Categorizer } from '../standings/categories.ts';
import { AppError } from '../transport/errors.ts';
import type { EvaluationRepo, ItemRow } from './repo.ts';

export function itemView(repo: EvaluationRepo, evaluationId: string, itemId: string, swapped: boolean): EvalItem {
  const item = repo.item(itemId);
  const prompt = item && repo.prompt(item.promptId);
  if (!item || !prompt) throw new AppError('not_found', 'no such item', { field: 'itemId' });
  // A gold item's two fixed answers stand where two models' answers stand.
  const answers = prompt.gold
    ? new Map([
        [item.modelX, prompt.gold.a],
        [item.modelY, prompt.gold.b],
      ])
    : repo.answersOf(item.promptId, [item.modelX, item.modelY]);
  const [left, right] = swapped ? [item.modelY, item.modelX] : [item.modelX, item.modelY];
  const a = answers.get(left) ?? [];
  const b = answers.get(right) ?? [];
  return {
    evaluationId,
    itemId,
    category: prompt.category,
    turns: prompt.turns.map((text, t) => ({ prompt: text, a: a[t] ?? '', b: b[t] ?? '' })),
  };
}

/** The categories of a vote on an item: from its prompts and both answers, plus `evaluation` and the prompt file's category. */
export function itemCategories(repo: EvaluationRepo, item: ItemRow, categorize: Categorizer): CategoryId[] {
  const prompt = repo.prompt(item.promptId);
  const answers = repo.answersOf(item.promptId, [item.modelX, item.modelY]);
  const conversation = { prompts: prompt?.turns ?? [], answers: [item.modelX, item.modelY].flatMap((m) => answers.get(m) ?? []) };
  return categorize(conversation, { evaluation: true, tags: prompt?.category ? [prompt.category] : [] });
}
