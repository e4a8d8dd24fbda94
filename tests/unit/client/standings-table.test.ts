import { describe, expect, it } from 'vitest';
import { frontPoints, heatCells, historySeries, intervalRows, labelWidth, shortName } from '../../../client/src/components/charts/chart-data.ts';
import { I18n } from '../../../client/src/i18n/i18n.svelte.ts';
import { standingsNotices } from '../../../client/src/lib/standings-notices.ts';
import { sortEntries, tableFigures } from '../../../client/src/lib/standings-table.ts';
import { DEFAULT_VIEW } from '../../../client/src/lib/standings-view.ts';
import type { StandingsEntry } from '../../../protocol/standings.ts';
import { fixtureHistory, fixtureStandings } from './standings-sample.ts';

const standings = fixtureStandings(DEFAULT_VIEW);
const ids = (entries: StandingsEntry[]) => entries.map((e) => e.id);
const en = new I18n('en');
const ko = new I18n('ko');

describe('the standings table', () => {
  it('sorts missing values last in both directions, ties in the server order', () => {
    const models = standings.models;
    expect(ids(sortEntries(models, { key: 'cost', dir: 'asc' }))).toEqual(['m-haneul', 'm-sol', 'm-wave', 'm-rock']);
    expect(ids(sortEntries(models, { key: 'cost', dir: 'desc' }))).toEqual(['m-wave', 'm-sol', 'm-haneul', 'm-rock']);
    const unplaced = models.map((m) => (m.id === 'm-sol' ? { ...m, separated: true } : m));
    expect(ids(sortEntries(unplaced, { key: 'rating', dir: 'desc' }))).toEqual(['m-haneul', 'm-wave', 'm-rock', 'm-sol']);
    const tied = models.map((m) => ({ ...m, winRate: 0.5 }));
    expect(ids(sortEntries(tied, { key: 'winRate', dir: 'desc' }))).toEqual(ids(models));
    // Provisional models have no rank: the server's order.
    expect(ids(sortEntries([...models].reverse(), { key: 'rank', dir: 'asc' }, false))).toEqual(ids([...models].reverse()));
  });

  it('sorts names in Korean order first, numbers inside names by value, composed or not', () => {
    const named = (name: string, i: number) => ({ ...standings.models[0]!, id: `n${i}`, name });
    const entries = ['Model 13B', '나무', 'Model 7B', '가람'.normalize('NFD'), 'alpha'].map(named);
    expect(sortEntries(entries, { key: 'name', dir: 'asc' }).map((e) => e.name.normalize('NFC'))).toEqual(['가람', '나무', 'alpha', 'Model 7B', 'Model 13B']);
  });

  it('reads intervals, costs and rank changes in plain marks and words, in English and Korean', () => {
    const { interval: intervalText, usd: usdText, rankChange } = tableFigures(en);
    expect(intervalText({ rating: 1100, ci: { lower: 1086, median: 1100, upper: 1112 }, separated: false })).toBe('+12/−14');
    expect(intervalText({ rating: 1100, ci: null, separated: false })).toBe('–');
    expect([usdText(0.9), usdText(0.0123), usdText(1234.5), usdText(null)]).toEqual(['$0.90', '$0.0123', '$1,235', '–']);
    expect(rankChange(2)).toEqual({ mark: '▲2', words: 'up 2 places' });
    expect(rankChange(-1)).toEqual({ mark: '▼1', words: 'down 1 place' });
    expect(rankChange(0)).toBeNull();
    expect(rankChange(null)?.mark).toBe('new');
    const korean = tableFigures(ko);
    expect([korean.usd(1234.5), korean.duration(1530), korean.duration(420)]).toEqual(['US$1,235', '1.5초', '420ms']);
    expect(korean.rankChange(2)).toEqual({ mark: '▲2', words: '2계단 상승' });
  });

  it("warns in plain words about the view and words the fit's caveats from their codes", () => {
    expect(standingsNotices(en, standings, DEFAULT_VIEW)).toEqual([]);
    const odd = {
      ...standings,
      stale: true,
      componentCount: 2,
      notes: [{ code: 'never_lost' as const, models: ['m-rock'] }],
      models: standings.models.map((m) => (m.id === 'm-rock' ? { ...m, separated: true } : m)),
    };
    const notices = standingsNotices(en, odd, { ...DEFAULT_VIEW, votes: 'all', from: '2026-12-02', to: '2026-12-01' });
    expect(notices).toHaveLength(4);
    expect(notices[0]).toMatch(/start date is after the end date/);
    // The server's caveat once, not a second notice of the page's own about the same model or groups.
    const rock = standings.models.find((m) => m.id === 'm-rock')!.name;
    expect(notices[1]).toBe(`${rock} has never lost, so its rating has no upper bound yet.`);
    expect(standingsNotices(ko, odd, DEFAULT_VIEW)[0]).toBe(`${rock}: 한 번도 지지 않아서 점수의 상한이 아직 없습니다.`);
    const two = { ...odd, notes: [{ code: 'never_won' as const, models: ['m-rock', 'm-sol'] }] };
    expect(standingsNotices(en, two, DEFAULT_VIEW)[0]).toBe(`${rock} and Sol Large have never won, so their ratings have no lower bound yet.`);
    expect(notices.join(' ')).toMatch(/counts every vote.*update is on its way/);
    const none = standingsNotices(en, { ...standings, models: [] }, DEFAULT_VIEW);
    expect(none).toEqual(['No model has 20 votes in this view yet, so none is ranked; all are listed as provisional below.']);
    // Intervals are missing only where the method has them: Bradley-Terry, not online Elo.
    const bare = { ...standings, models: standings.models.map((m) => ({ ...m, ci: null })) };
    expect(standingsNotices(en, { ...bare, method: 'elo' }, DEFAULT_VIEW)).toEqual([]);
    expect(standingsNotices(en, { ...bare, method: 'bt' }, { ...DEFAULT_VIEW, method: 'bt' })).toEqual([
      'No 95% intervals for this view yet: they need more votes.',
    ]);
  });
});

describe('chart data', () => {
  it('takes placed models with intervals, best first', () => {
    const rows = intervalRows(standings.models.map((m) => (m.id === 'm-wave' ? { ...m, ci: null } : m)));
    expect(rows.map((r) => r.id)).toEqual(['m-sol', 'm-haneul', 'm-rock']);
    expect(rows[0]).toEqual({ id: 'm-sol', name: 'Sol Large', rating: 1105, lower: 1091, upper: 1117 });
  });

  it('has a heatmap cell for every ordered pair of different models, a dash where none met', () => {
    const cells = heatCells(standings.pairs.models, standings.pairs.observed, (v) => `${Math.round(100 * v)}%`);
    expect(cells).toHaveLength(12);
    expect(cells.filter((c) => c.value === null).map((c) => [c.row, c.col, c.label])).toEqual([
      ['m-sol', 'm-rock', '–'],
      ['m-rock', 'm-sol', '–'],
    ]);
    expect(heatCells(standings.pairs.models, standings.pairs.battles, String, 2)).toHaveLength(2);
  });

  it('places the models with a value on the other axis, marking the front', () => {
    const price = frontPoints(standings.models, (m) => m.costPer1kAnswersUsd, standings.fronts.cost);
    expect(price.map((p) => [p.id, p.x, p.onFront])).toEqual([
      ['m-haneul', 0.9, true],
      ['m-sol', 4.2, true],
      ['m-wave', 6.5, false],
    ]);
  });

  it('follows each model day by day, for the best-rated ones', () => {
    const series = historySeries(fixtureHistory({ category: 'all' }), standings.models, 2);
    expect(series).toHaveLength(10);
    expect(series[0]).toMatchObject({ id: 'm-sol', name: 'Sol Large', day: new Date('2026-11-21T00:00:00Z') });
  });

  it('cuts long names by whole characters and sizes Hangul labels wider', () => {
    expect(shortName('한국어로 된 아주 긴 모델 이름입니다', 6)).toBe('한국어로 …');
    expect(shortName('가'.normalize('NFD').repeat(3), 3)).toBe('가가가');
    expect(shortName('🦙🦙🦙🦙', 3)).toBe('🦙🦙…');
    expect(labelWidth('하늘')).toBeGreaterThan(labelWidth('ab'));
  });
});
