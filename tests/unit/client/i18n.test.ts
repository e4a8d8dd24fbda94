import { parse, TYPE } from '@formatjs/icu-messageformat-parser';
import { describe, expect, it } from 'vitest';
import { CATALOGUES, LOCALES, type Tree } from '../../../client/src/i18n/catalogue.ts';
import { I18n, preferredLocale } from '../../../client/src/i18n/i18n.svelte.ts';

/** Every message of a tree, by dotted key. */
function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out.set(prefix + key, value);
    else for (const [k, v] of flatten(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

/** The placeholders and tags a message uses: a translation must use the same ones. */
function namesIn(message: string): string[] {
  const names = new Set<string>();
  const walk = (nodes: ReturnType<typeof parse>) => {
    for (const node of nodes) {
      if (node.type === TYPE.argument || node.type === TYPE.number || node.type === TYPE.date || node.type === TYPE.time) names.add(node.value);
      if (node.type === TYPE.tag) {
        names.add(`<${node.value}>`);
        walk(node.children);
      }
      if (node.type === TYPE.select || node.type === TYPE.plural) {
        names.add(node.value);
        for (const option of Object.values(node.options)) walk(option.value);
      }
    }
  };
  walk(parse(message));
  return [...names].sort();
}

/** Messages that are names, the same in every language. */
const NAMES = new Set(['common.appName']);

describe('message catalogues', () => {
  const english = flatten(CATALOGUES.en);

  it.each(LOCALES.filter((l) => l !== 'en'))('%s has every English message, with the same placeholders and tags, and nothing else', (locale) => {
    const translated = flatten(CATALOGUES[locale]);
    expect([...translated.keys()].sort()).toEqual([...english.keys()].sort());
    for (const [key, source] of english) {
      const translation = translated.get(key) ?? '';
      expect({ key, names: namesIn(translation) }).toEqual({ key, names: namesIn(source) });
      // Not left in English by mistake (a message with no letters, or a name, may stay as is).
      if (/[a-z]{3}/.test(source.replace(/\{[^}]*\}|<[^>]*>/g, '')) && locale === 'ko' && !NAMES.has(key))
        expect.soft(/[\uac00-\ud7a3]/.test(translation), `${key} has no Hangul`).toBe(true);
    }
  });

  it('every message formats in every language', () => {
    for (const locale of LOCALES) {
      const i18n = new I18n(locale);
      for (const [key, source] of english) {
        const names = namesIn(source);
        const values = Object.fromEntries(names.filter((name) => !name.startsWith('<')).map((name) => [name, 1]));
        const format = names.some((name) => name.startsWith('<')) ? () => i18n.rich(key as never, values) : () => i18n.t(key as never, values);
        expect(format).not.toThrow();
      }
    }
  });
});

describe('I18n', () => {
  it('takes the stored choice, else the first supported browser language, else English', () => {
    expect(preferredLocale(['ko-KR', 'en-US'], null)).toBe('ko');
    expect(preferredLocale(['fr-FR', 'ko'], null)).toBe('ko');
    expect(preferredLocale(['fr-FR'], null)).toBe('en');
    expect(preferredLocale(['ko-KR'], 'en')).toBe('en');
    expect(preferredLocale(['en-US'], 'xx')).toBe('en');
  });

  it('formats plurals, numbers and dates the way each language writes them', () => {
    const en = new I18n('en');
    const ko = new I18n('ko');
    expect(en.t('battle.prompt.over', { length: 1200, max: 1000, over: 200 })).toBe('1,200 / 1,000 · 200 too many');
    expect(ko.t('battle.prompt.over', { length: 1200, max: 1000, over: 200 })).toMatch(/^1,200 \/ 1,000 · 200자 초과$/);
    expect(ko.percent(0.525, 1)).toBe('52.5%');
    expect(ko.date(new Date(Date.UTC(2026, 11, 1, 3, 4)), { dateStyle: 'long', timeZone: 'UTC' })).toBe('2026년 12월 1일');
    expect(en.date(new Date(Date.UTC(2026, 11, 1, 3, 4)), { dateStyle: 'long', timeZone: 'UTC' })).toBe('December 1, 2026');
  });

  it('renders markup as parts and keeps values as text, whatever they contain', () => {
    const parts = new I18n('en').rich('battle.outcome.reveal', { nameA: '<img src=x onerror=alert(1)>', nameB: 'Juniper' });
    expect(parts).toEqual([
      { text: 'Model A was ', tag: null },
      { text: '<img src=x onerror=alert(1)>', tag: 'b' },
      { text: ', Model B was ', tag: null },
      { text: 'Juniper', tag: 'b' },
      { text: '.', tag: null },
    ]);
  });

  it("words a refusal from its code in Korean, keeping the server's detail; English keeps the server's precise words", () => {
    const body = { code: 'rate_limited' as const, message: 'at most 1 battles may stream at once', retryAfterMs: 2500 };
    expect(new I18n('en').error(body)).toBe('at most 1 battles may stream at once');
    expect(new I18n('ko').error(body)).toMatch(/3초.*\(at most 1 battles may stream at once\)$/);
    expect(new I18n('ko').error({ code: 'invalid_input', message: 'prompt: too long', field: 'prompt' })).toMatch(/^prompt/);
    // A code the page has no words for falls back to the server's.
    expect(new I18n('ko').error({ code: 'made_up' as never, message: 'Something specific' })).toBe('Something specific');
  });
});
