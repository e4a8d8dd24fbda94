/** What a reader must know before trusting a view of the standings, in plain words. Pure, unit-tested. */
import type { CategorySummary, Standings, StandingsView } from '../../../protocol/standings.ts';

/** The built-in categories (`BUILT_IN_CATEGORIES`, held together by the unit tests), in their order, with their names. */
export const CATEGORY_NAMES: Record<string, string> = {
  all: 'All categories',
  'lang:ko': 'Korean (한국어)',
  'lang:en': 'English',
  'lang:zh': 'Chinese (中文)',
  'lang:ja': 'Japanese (日本語)',
  'lang:other': 'Other languages',
  coding: 'Coding',
  math: 'Math',
  long: 'Long prompts',
  multi_turn: 'Multi-turn conversations',
  evaluation: 'Team evaluations',
};

export function categoryLabel(id: string): string {
  return CATEGORY_NAMES[id] ?? (id.startsWith('tag:') ? `${id.slice(4)} (imported)` : id);
}

/**
 * The categories to offer: the server's list when it came, the built-in ones otherwise, and the
 * view's own category always (a shared link may name one with no votes yet).
 */
export function categoryOptions(summaries: readonly CategorySummary[] | null, current: string): Array<{ id: string; label: string }> {
  const known: ReadonlyArray<{ id: string; votes: number | null }> = summaries ?? Object.keys(CATEGORY_NAMES).map((id) => ({ id, votes: null }));
  const options = known.map((c) => ({
    id: c.id,
    label: c.votes === null ? categoryLabel(c.id) : `${categoryLabel(c.id)} (${c.votes.toLocaleString('en-US')})`,
  }));
  if (!options.some((o) => o.id === current)) options.push({ id: current, label: categoryLabel(current) });
  return options;
}

/**
 * The notices above the table. The fit's own caveats (a model that never lost, groups never
 * compared, rough intervals) come from the server in plain words, naming the models
 * (server/standings/warnings.ts); these are the ones about the view and its timing.
 */
export function standingsNotices(standings: Standings | null, view: StandingsView): string[] {
  const notices: string[] = [];
  if (view.from && view.to && view.from > view.to) notices.push('The start date is after the end date, so no vote can fall between them.');
  if (!standings) return notices;
  notices.push(...standings.warnings);
  if (view.votes === 'all') {
    notices.push('This view counts every vote, also those kept out of the public standings (flagged by the integrity rules, or cast knowing the models).');
  }
  if (standings.stale) notices.push('New votes came in after these numbers were computed; an update is on its way.');
  // Online Elo has no intervals; Bradley-Terry's need a few votes per model.
  if (standings.method === 'bt' && standings.models.length > 0 && standings.models.every((m) => m.ci === null)) {
    notices.push('No 95% intervals for this view yet: they need more votes.');
  }
  if (standings.models.length === 0 && standings.provisional.length > 0) {
    notices.push(`No model has ${standings.minVotes} votes in this view yet, so none is ranked; all are listed as provisional below.`);
  }
  return notices;
}
