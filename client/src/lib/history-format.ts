/** Words and numbers of the model, history and snapshot pages: categories, votes, who sees what, units. */
import type { Role } from '../../../protocol/permissions.ts';
import type { BattleSummary, CategoryId } from '../../../protocol/standings.ts';
import type { ModelSpeed, RevealedModels, Winner } from '../../../protocol/types.ts';

const CATEGORY_NAMES: Record<string, string> = {
  all: 'All votes',
  'lang:ko': 'Korean',
  'lang:en': 'English',
  'lang:zh': 'Chinese',
  'lang:ja': 'Japanese',
  'lang:other': 'Other languages',
  coding: 'Coding',
  math: 'Math',
  long: 'Long prompts',
  multi_turn: 'Multi-turn',
  evaluation: 'Team evaluations',
};

/** The built-in categories, in the order filters list them (protocol/standings.ts BUILT_IN_CATEGORIES, without importing its schemas). */
export const CATEGORY_CHOICES = Object.keys(CATEGORY_NAMES) as CategoryId[];

export function categoryName(id: CategoryId | string): string {
  return CATEGORY_NAMES[id] ?? (id.startsWith('tag:') ? id.slice(4) : id);
}

/** A view's category as a choice among categories: `all` is every category (beside a "Votes" choice, "All votes" would read as that). */
export function viewCategoryName(id: CategoryId | string): string {
  return id === 'all' ? 'Every category' : categoryName(id);
}

/**
 * The models of a battle, only once it is voted: the server already leaves them out before the
 * vote, and the page does not show any it might be sent then.
 */
export function revealedModels(battle: Pick<BattleSummary, 'status' | 'models'>): RevealedModels | null {
  return battle.status === 'voted' ? battle.models : null;
}

/** The vote in words, with the models' names when they are known. */
export function voteText(winner: Winner | null, models: RevealedModels | null): string {
  const a = models?.a.name ?? 'A';
  const b = models?.b.name ?? 'B';
  switch (winner) {
    case 'a':
      return `${a} is better`;
    case 'b':
      return `${b} is better`;
    case 'tie':
      return 'Tie';
    case 'bothbad':
      return 'Both are bad';
    default:
      return 'Not voted';
  }
}

export const STATUS_TEXT: Record<BattleSummary['status'], string> = {
  streaming: 'answering',
  ready: 'waiting for a vote',
  failed: 'failed',
  voted: 'voted',
  abandoned: 'ended without a vote',
};

/** Whose battles a visitor of this role sees in the history and on model pages. */
export function visibilityText(role: Role | null): string {
  switch (role) {
    case 'admin':
      return 'As an admin you see every battle.';
    case 'member':
      return 'You see your own battles; admins see all of them.';
    case 'anonymous':
      return 'You see the battles started in this browser.';
    case 'viewer':
      return 'Viewers have no battles of their own; members see theirs and admins all.';
    default:
      return 'Sign in to see your battles.';
  }
}

export function dateTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export const ms = (x: number | null | undefined): string => (x == null ? '–' : x < 1000 ? `${Math.round(x)} ms` : `${(x / 1000).toFixed(1)} s`);
export const usd = (x: number | null | undefined): string => (x == null ? '–' : x < 0.01 ? `$${x.toFixed(4)}` : `$${x.toFixed(2)}`);
export const perSecond = (x: number | null | undefined): string => (x == null ? '–' : `${x.toFixed(0)} tok/s`);
export const percent = (x: number | null | undefined, digits = 0): string => (x == null ? '–' : `${(100 * x).toFixed(digits)}%`);
export const rating = (x: number | null | undefined): string => (x == null ? '–' : x.toFixed(0));

/** The speed figures in a sentence, leaving out what was not measured (no price, no tokens). */
export function speedText(s: ModelSpeed): string {
  const parts = [
    s.medianTtftMs !== null ? `median time to first token ${ms(s.medianTtftMs)} (90th percentile ${ms(s.p90TtftMs)})` : null,
    s.medianLatencyMs !== null ? `median answer ${ms(s.medianLatencyMs)}` : null,
    s.medianTokensPerSecond !== null ? perSecond(s.medianTokensPerSecond) : null,
    s.medianOutputTokens !== null ? `${s.medianOutputTokens} output tokens` : null,
    s.medianCostUsd !== null ? `${usd(s.medianCostUsd)} per answer` : null,
  ].filter(Boolean);
  return `Over its last ${s.answers} answers: ${[...parts, `${percent(s.errorRate, 1)} failed`].join(', ')}.`;
}
