import { describe, expect, it } from 'vitest';
import { I18n } from '../../../client/src/i18n/i18n.svelte.ts';
import { intervalsText } from '../../../client/src/lib/intervals-text.ts';

describe('intervalsText', () => {
  const en = new I18n('en');
  const ko = new I18n('ko');

  it('says which intervals and prior a fit used, in English and Korean, and nothing for online Elo', () => {
    expect(intervalsText(en, { method: 'bootstrap', clustered: false, prior: null }, 100)).toBe(', 95% intervals from 100 bootstrap rounds');
    expect(intervalsText(en, { method: 'sandwich', clustered: true, prior: null }, 0)).toBe(', 95% robust (sandwich) intervals, clustered by voter');
    expect(intervalsText(en, { method: 'fisher', clustered: false, prior: { sd: 400 } }, 0)).toBe(', 95% model-based intervals, with a weak prior (sd 400)');
    expect(intervalsText(ko, { method: 'fisher', clustered: false, prior: { sd: 400 } }, 0)).toBe(', 95% 모형 기반 구간, 약한 사전 분포(표준편차 400) 적용');
    expect(intervalsText(en, null, 0)).toBe('');
  });
});
