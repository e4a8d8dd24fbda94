import { describe, expect, it } from 'vitest';
import { I18n } from '../../../client/src/i18n/i18n.svelte.ts';
import { CATEGORY_CHOICES } from '../../../client/src/lib/categories.ts';
import { viewFrom } from '../../../client/src/lib/snapshots.svelte.ts';
import { categoryOptions } from '../../../client/src/lib/standings-notices.ts';
import {
  DEFAULT_VIEW,
  hashQuery,
  leaderboardHash,
  parseLocation,
  publishSnapshotHref,
  sameView,
  VIEW_FIELDS,
  viewInput,
} from '../../../client/src/lib/standings-view.ts';
import { BUILT_IN_CATEGORIES, type StandingsView, standingsViewSchema } from '../../../protocol/standings.ts';

/** Texts a link may carry for each field: valid, invalid and the edge cases between. */
const SAMPLES: Record<keyof StandingsView, string[]> = {
  method: ['elo', 'bt', 'BT', 'glicko', ' elo'],
  category: [
    'all',
    'lang:ko',
    'lang:kr',
    'coding',
    'tag:hard prompts',
    'tag:a/b+c-d.e:f',
    'tag:',
    `tag:${'x'.repeat(64)}`,
    `tag:${'x'.repeat(65)}`,
    'tag:<b>',
    'tag:요리',
    'tag:한국어 글쓰기',
    'tag:',
    'Coding',
    '한국어',
  ],
  votes: ['blind', 'all', 'some'],
  from: ['2026-11-30', '2024-02-29', '2025-02-29', '2026-02-30', '2026-13-01', '2026-1-01', '20261130', 'yesterday'],
  to: ['2026-12-31', '2026-04-31', '0000-01-01'],
  minVotes: ['0', '5', '1000000', '1000001', '-1', '2.5', '1e3', ' 7 ', 'abc', '0x10', 'Infinity'],
  deprecated: ['0', '1', 'true', 'yes'],
  styleControl: ['0', '1', '2'],
};

describe('the view in the URL', () => {
  it('reads every field as the contract schema does, without loading zod', () => {
    expect(Object.keys(VIEW_FIELDS)).toEqual(Object.keys(standingsViewSchema.shape));
    expect(DEFAULT_VIEW).toEqual(standingsViewSchema.parse({}));
    for (const [key, samples] of Object.entries(SAMPLES) as Array<[keyof StandingsView, string[]]>) {
      for (const raw of samples) {
        const schema = standingsViewSchema.shape[key].safeParse(raw);
        expect(VIEW_FIELDS[key](raw), `${key}=${raw}`).toEqual(schema.success ? schema.data : undefined);
      }
    }
  });

  it('writes only what differs from the defaults, and reads back the same view and sort', () => {
    expect(leaderboardHash({ view: DEFAULT_VIEW, sort: { key: 'rank', dir: 'asc' } })).toBe('#/leaderboard');
    const view: StandingsView = {
      ...DEFAULT_VIEW,
      method: 'bt',
      category: 'lang:ko',
      votes: 'all',
      from: '2026-11-01',
      to: '2026-11-30',
      minVotes: 0,
      deprecated: '1',
    };
    const hash = leaderboardHash({ view, sort: { key: 'votes', dir: 'asc' } });
    expect(hash).toBe('#/leaderboard?method=bt&category=lang:ko&votes=all&from=2026-11-01&to=2026-11-30&minVotes=0&deprecated=1&sort=votes&dir=asc');
    expect(parseLocation(hashQuery(hash))).toEqual({ view, sort: { key: 'votes', dir: 'asc' } });
    // A column's natural direction is not written.
    expect(leaderboardHash({ view: DEFAULT_VIEW, sort: { key: 'cost', dir: 'asc' } })).toBe('#/leaderboard?sort=cost');
    expect(parseLocation('sort=cost').sort).toEqual({ key: 'cost', dir: 'asc' });
    expect(parseLocation('sort=votes').sort).toEqual({ key: 'votes', dir: 'desc' });
    // A category name with spaces survives the trip.
    const tagged = leaderboardHash({ view: { ...DEFAULT_VIEW, category: 'tag:hard prompts' }, sort: { key: 'rank', dir: 'asc' } });
    expect(parseLocation(hashQuery(tagged)).view.category).toBe('tag:hard prompts');
    // So does a Korean one (tags come from data: prompt files, imported battles).
    const korean = leaderboardHash({ view: { ...DEFAULT_VIEW, category: 'tag:한국어 글쓰기' }, sort: { key: 'rank', dir: 'asc' } });
    expect(parseLocation(hashQuery(korean)).view.category).toBe('tag:한국어 글쓰기');
  });

  it("links the admin's Publish snapshot form with the view, naming the method (the form's default is Bradley-Terry)", () => {
    expect(publishSnapshotHref(DEFAULT_VIEW)).toBe('#/admin/snapshots?method=elo');
    const view: StandingsView = { ...DEFAULT_VIEW, method: 'bt', category: 'lang:ko', votes: 'all', from: '2026-11-01', minVotes: 5, deprecated: '1' };
    const href = publishSnapshotHref(view);
    expect(href).toBe('#/admin/snapshots?method=bt&category=lang:ko&votes=all&from=2026-11-01&minVotes=5&deprecated=1');
    expect(viewFrom(new URLSearchParams(href.split('?')[1]))).toEqual(viewInput(view));
  });

  it('falls back to the defaults for values a hand-edited link got wrong', () => {
    const { view, sort } = parseLocation('category=<script>&votes=some&minVotes=&from=2026-02-30&sort=evil&dir=up&extra=1');
    expect(view).toEqual({ ...DEFAULT_VIEW, from: undefined, to: undefined, minVotes: undefined });
    expect(sort).toEqual({ key: 'rank', dir: 'asc' });
    expect(hashQuery('#/battle?category=coding')).toBe('');
  });

  it('subscribes with the view without its defaults, and matches answers leniently on the threshold only', () => {
    expect(viewInput(DEFAULT_VIEW)).toEqual({});
    expect(viewInput({ ...DEFAULT_VIEW, category: 'coding', minVotes: 10 })).toEqual({ category: 'coding', minVotes: 10 });
    const coding = { ...DEFAULT_VIEW, category: 'coding' };
    expect(sameView({ ...coding, minVotes: 20 }, coding)).toBe(true);
    expect(sameView({ ...coding, minVotes: 20 }, { ...coding, minVotes: 5 })).toBe(false);
    expect(sameView(DEFAULT_VIEW, coding)).toBe(false);
  });

  it('offers the built-in categories until the server lists its own, and always the current one', () => {
    const en = new I18n('en');
    expect(CATEGORY_CHOICES).toEqual([...BUILT_IN_CATEGORIES]);
    expect(categoryOptions(en, null, 'all').map((o) => o.id)).toEqual([...BUILT_IN_CATEGORIES]);
    const listed = categoryOptions(
      en,
      [
        { id: 'all', votes: 1234 },
        { id: 'lang:ko', votes: 56 },
      ],
      'tag:hard',
    );
    expect(listed).toEqual([
      { id: 'all', label: 'All categories (1,234)' },
      { id: 'lang:ko', label: 'Korean (56)' },
      { id: 'tag:hard', label: 'hard (imported)' },
    ]);
    expect(categoryOptions(new I18n('ko'), [{ id: 'lang:ko', votes: 1234 }], 'lang:ko')).toEqual([{ id: 'lang:ko', label: '한국어 (1,234)' }]);
  });
});
