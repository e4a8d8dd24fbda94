/** The evaluation pages' figures and messages in English and Korean (client/src/lib/eval-format.ts, i18n/{en,ko}/eval-*.ts). */
import { parse, TYPE } from '@formatjs/icu-messageformat-parser';
import { describe, expect, it } from 'vitest';
import { CATALOGUES, LOCALES, type Tree } from '../../../client/src/i18n/catalogue.ts';
import { I18n } from '../../../client/src/i18n/i18n.svelte.ts';
import { evalFormat, NONE } from '../../../client/src/lib/eval-format.ts';

function* messages(tree: Tree, prefix = ''): Generator<[string, string]> {
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') yield [prefix + key, value];
    else yield* messages(value, `${prefix}${key}.`);
  }
}

/** A message's tag names and value names, apart. */
function namesOf(message: string): { tags: Set<string>; values: Set<string> } {
  const tags = new Set<string>();
  const values = new Set<string>();
  const walk = (nodes: ReturnType<typeof parse>) => {
    for (const node of nodes) {
      if (node.type === TYPE.argument || node.type === TYPE.number || node.type === TYPE.date || node.type === TYPE.time) values.add(node.value);
      if (node.type === TYPE.tag) {
        tags.add(node.value);
        walk(node.children);
      }
      if (node.type === TYPE.select || node.type === TYPE.plural) {
        values.add(node.value);
        for (const option of Object.values(node.options)) walk(option.value);
      }
    }
  };
  walk(parse(message));
  return { tags, values };
}

describe('evaluation figures', () => {
  it('writes shares, fixed decimals and ratings in the page language, with a dash for none', () => {
    for (const locale of LOCALES) {
      const f = evalFormat(new I18n(locale));
      expect(f.pct(0.667)).toBe('67%');
      expect(f.pct(null)).toBe(NONE);
      expect(f.fixed(0.4049)).toBe('0.40');
      // A κ that rounds to zero is 0.00, never -0.00.
      expect(f.fixed(-0.001)).toBe('0.00');
      expect(f.fixed(-0.25, 3)).toBe('-0.250');
      expect(f.fixed(null)).toBe(NONE);
      // Ratings are scores, written without grouping as the standings write them.
      expect(f.rating(1234.56)).toBe('1235');
      expect(f.rating(1012.34, 1)).toBe('1012.3');
      expect(f.count(12345)).toBe('12,345');
    }
  });

  it('words the pages in Korean with Korean counters, and in English with English plurals', () => {
    const en = new I18n('en');
    const ko = new I18n('ko');
    expect(en.t('evaluations.mine', { done: 1, remaining: 1234 })).toBe('You judged 1; 1,234 left for you.');
    expect(ko.t('evaluations.mine', { done: 1, remaining: 1234 })).toBe('1개 문항에 투표했습니다. 남은 문항은 1,234개입니다.');
    expect(en.t('evaluations.admin.page.summary', { prompts: 1, gold: 0, models: 'A, B', votes: 3 })).toBe('1 prompt · A, B · 3 votes per prompt and pair');
    expect(en.t('evaluations.admin.page.summary', { prompts: 6, gold: 2, models: 'A, B', votes: 1 })).toBe(
      '6 prompts (+2 gold) · A, B · 1 vote per prompt and pair',
    );
    expect(ko.t('evaluations.admin.page.summary', { prompts: 6, gold: 2, models: 'A, B', votes: 1 })).toBe(
      '프롬프트 6개 (+정답 문항 2개) · A, B · 프롬프트와 모델 쌍마다 투표 1개',
    );
    expect(en.t('evaluations.admin.judges.estimated', { calls: 1, cost: en.usd(0.0042) })).toBe('1 call, about $0.0042');
    expect(ko.t('evaluations.admin.judges.estimated', { calls: 6, cost: ko.usd(9980, 2) })).toBe('호출 6회, 약 US$9,980.00');
    expect(en.t('evaluations.admin.source.fileRead', { name: 'p.jsonl', lines: 6, format: 'jsonl' })).toBe('p.jsonl: 6 non-blank lines, read as jsonl');
    expect(ko.t('evaluations.admin.source.fileRead', { name: 'p.csv', lines: 6, format: 'csv' })).toBe('p.csv: 빈 줄을 뺀 6줄, CSV 형식으로 읽음');
  });

  it('keeps the figures of a sentence with markup as text in their elements', () => {
    for (const locale of LOCALES) {
      const parts = new I18n(locale).rich('evaluations.results.agreement.summary', { items: 2, percent: '50%', expected: '42%', fleissKappa: '0.13' });
      expect(parts.filter((p) => p.tag)).toEqual([
        { text: '50%', tag: 'b' },
        { text: '42%', tag: 'chance' },
        { text: '0.13', tag: 'fleiss' },
      ]);
    }
  });

  it('never names a tag like a value of the same message (the tag would print in its place)', () => {
    for (const locale of LOCALES) {
      for (const [key, message] of messages(CATALOGUES[locale])) {
        const { tags, values } = namesOf(message);
        expect(
          [...tags].filter((tag) => values.has(tag)),
          `${locale} ${key}`,
        ).toEqual([]);
      }
    }
  });
});
