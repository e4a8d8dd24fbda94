/**
 * Prompt sets from real traffic: past arena battles, filtered by date, model and category, each conversation's user turns taken as one prompt, most recent
 * first, duplicates removed. Deduplication is pure; the SQL is in battle-prompts-repo.ts.
 */
import type { BattleFilter, BattlePromptsPreview } from '../../protocol/judges.ts';
import { AppError } from '../transport/errors.ts';
import type { BattleConversation, BattlePromptsRepo } from './battle-prompts-repo.ts';
import type { ImportedPrompt } from './prompt-import.ts';

/**
 * Given battle ids and a category id, the ids filed under it: the categories of the battle's vote,
 * stored by the standings (server/standings/vote-categories-repo.ts `battlesUnder`, passed in by
 * the app). Without it (an app built without standings) a filter naming a category is refused.
 */
export type BattleCategoryHook = (battleIds: readonly string[], category: string) => ReadonlySet<string>;

/** How two prompts are told apart: Unicode NFKC (so composed and decomposed Hangul match), case and spacing ignored. */
export function promptKey(turns: readonly string[]): string {
  return turns.map((t) => t.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase()).join('\u0000');
}

/** Distinct conversations, most recent first, at most `limit`; how many battles repeated one already taken. */
export function distinctPrompts(battles: readonly BattleConversation[], limit: number): BattlePromptsPreview {
  const byKey = new Map<string, { turns: string[]; battles: number; lastAt: Date }>();
  for (const b of battles) {
    if (b.turns.length === 0 || b.turns.every((t) => t.trim() === '')) continue;
    const key = promptKey(b.turns);
    const seen = byKey.get(key);
    if (seen) seen.battles++;
    else byKey.set(key, { turns: b.turns, battles: 1, lastAt: b.createdAt });
  }
  const all = [...byKey.values()].sort((a, b) => b.lastAt.getTime() - a.lastAt.getTime());
  const considered = all.reduce((s, p) => s + p.battles, 0);
  return {
    prompts: all.slice(0, limit).map((p) => ({ turns: p.turns, battles: p.battles, lastAt: p.lastAt.toISOString() })),
    battles: considered,
    duplicates: considered - all.length,
  };
}

/** Reads the battles a filter selects and makes the preview (and the prompts of a new evaluation). */
export function battlePrompts(repo: BattlePromptsRepo, filter: BattleFilter, categories: BattleCategoryHook | undefined, prefix: string): BattlePromptsPreview {
  const name = (f: string) => (prefix ? `${prefix}.${f}` : f);
  if (filter.from && filter.to && filter.from > filter.to)
    throw new AppError('invalid_input', `${name('to')}: must not be before "from"`, { field: name('to') });
  let battles = repo.conversations({ from: filter.from, to: filter.to, models: filter.models });
  if (filter.category) {
    if (!categories) {
      throw new AppError('invalid_input', `${name('category')}: battles carry no categories on this server yet; filter by date and models`, {
        field: name('category'),
      });
    }
    const keep = categories(
      battles.map((b) => b.battleId),
      filter.category,
    );
    battles = battles.filter((b) => keep.has(b.battleId));
  }
  return distinctPrompts(battles, filter.limit ?? 500);
}

export function asImported(preview: BattlePromptsPreview): ImportedPrompt[] {
  return preview.prompts.map((p) => ({ id: null, category: null, turns: p.turns, gold: null }));
}
