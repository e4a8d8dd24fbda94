/** What a reader must know before trusting a view of the standings, in the page's language. Pure, unit-tested. */
import type { CategorySummary, Standings, StandingsNote, StandingsView } from '../../../protocol/standings.ts';
import { CATEGORY_CHOICES, categoryWords } from './categories.ts';
import type { Words } from './history-format.ts';

export function categoryLabel(i18n: Words, id: string): string {
  if (id === 'all') return i18n.t('leaderboard.filters.allCategories');
  return id.startsWith('tag:') ? i18n.t('leaderboard.filters.imported', { tag: id.slice(4) }) : categoryWords(i18n, id);
}

/**
 * The categories to offer: the server's list when it came, the built-in ones otherwise, and the
 * view's own category always (a shared link may name one with no votes yet).
 */
export function categoryOptions(i18n: Words, summaries: readonly CategorySummary[] | null, current: string): Array<{ id: string; label: string }> {
  const known: ReadonlyArray<{ id: string; votes: number | null }> = summaries ?? CATEGORY_CHOICES.map((id) => ({ id, votes: null }));
  const options = known.map((c) => ({
    id: c.id,
    label:
      c.votes === null ? categoryLabel(i18n, c.id) : i18n.t('leaderboard.filters.withVotes', { name: categoryLabel(i18n, c.id), count: i18n.number(c.votes) }),
  }));
  if (!options.some((o) => o.id === current)) options.push({ id: current, label: categoryLabel(i18n, current) });
  return options;
}

/** A fit's caveat in words, naming the models (server/standings/warnings.ts says the same in English). */
export function noteText(i18n: Words & { locale: string }, note: StandingsNote, nameOf: (id: string) => string): string {
  const list = (ids: readonly string[]) => new Intl.ListFormat(i18n.locale, { type: 'conjunction' }).format(ids.map(nameOf));
  switch (note.code) {
    case 'leans_on_prior':
    case 'never_lost':
    case 'never_won':
    case 'cornered':
      return i18n.t(`leaderboard.notices.${note.code}`, { models: list(note.models), count: note.models.length });
    case 'without_style_features':
      return i18n.t('leaderboard.notices.without_style_features', { count: note.votes });
    case 'disconnected':
      return i18n.t('leaderboard.notices.disconnected', { groups: note.groups.map(list).join('; ') });
    case 'bootstrap_failures':
      return i18n.t('leaderboard.notices.bootstrap_failures', { failures: i18n.number(note.failures), rounds: i18n.number(note.rounds) });
    case 'solver_stopped':
      return i18n.t('leaderboard.notices.solver_stopped');
  }
}

/**
 * The notices above the table: the fit's own caveats (a model that never lost, groups never
 * compared, rough intervals), sent as codes, and the ones about the view and its timing.
 */
export function standingsNotices(i18n: Words & { locale: string }, standings: Standings | null, view: StandingsView): string[] {
  const notices: string[] = [];
  if (view.from && view.to && view.from > view.to) notices.push(i18n.t('leaderboard.notices.datesCrossed'));
  if (!standings) return notices;
  const names = new Map([...standings.models, ...standings.provisional].map((m) => [m.id, m.name]));
  notices.push(...standings.notes.map((note) => noteText(i18n, note, (id) => names.get(id) ?? id)));
  if (view.votes === 'all') notices.push(i18n.t('leaderboard.notices.allVotes'));
  if (standings.stale) notices.push(i18n.t('leaderboard.notices.stale'));
  // Online Elo has no intervals; Bradley-Terry's need a few votes per model.
  if (standings.method === 'bt' && standings.models.length > 0 && standings.models.every((m) => m.ci === null)) {
    notices.push(i18n.t('leaderboard.notices.noIntervals'));
  }
  if (standings.models.length === 0 && standings.provisional.length > 0) {
    notices.push(i18n.t('leaderboard.notices.noneRanked', { count: standings.minVotes }));
  }
  return notices;
}
