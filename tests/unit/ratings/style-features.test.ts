/** Style features of an answer (server/ratings/style-features.ts) on known Markdown. */
import { countTokens } from 'gpt-tokenizer';
import { describe, expect, it } from 'vitest';
import { markdownCounts, proseOf, styleCounts } from '../../../server/ratings/style-features.ts';

describe('markdownCounts', () => {
  it('counts headers, list items and bold spans', () => {
    const text = [
      '# Title',
      '## Section',
      '###### Deepest',
      '#hashtag is not a header, ####### neither is seven',
      '- one',
      '* two',
      '+ three',
      '  - nested',
      '1. first',
      '2) second',
      '---',
      '* * *',
      'Some **bold** and __also bold__ and **two words** here.',
      '** not bold ** and a*b*c and ****',
    ].join('\n');
    expect(markdownCounts(text)).toEqual({ headers: 3, listItems: 6, bold: 3 });
  });

  it('ignores fenced code blocks, their contents and inline code', () => {
    const text = [
      'Intro with `**not bold**` inline.',
      '```python',
      '# a comment, not a header',
      '- not a list',
      'x = "**no**"',
      '```',
      '~~~~',
      '```',
      '# still inside the tilde fence',
      '~~~~',
      '## After',
      '````md',
      '```',
      '# inside a longer fence',
      '```',
      '````',
      '- item **bold**',
    ].join('\n');
    expect(markdownCounts(text)).toEqual({ headers: 1, listItems: 1, bold: 1 });
    expect(proseOf(text)).not.toContain('comment');
  });

  it('treats an unclosed fence as running to the end', () => {
    expect(markdownCounts('# Head\n```\n# no\n- no\n**no**')).toEqual({ headers: 1, listItems: 0, bold: 0 });
  });

  it('reads Korean Markdown, with Windows line ends', () => {
    const text = [
      '# 요약',
      '',
      '다음은 **핵심 내용**입니다.',
      '',
      '1. 첫째: 데이터를 __정리__합니다',
      '2. 둘째: 모델을 비교합니다',
      '- 참고 사항',
      '',
      '```bash',
      '# 주석',
      '- 목록 아님',
      '```',
      '## 결론',
      '#한글해시태그',
    ].join('\r\n');
    expect(markdownCounts(text)).toEqual({ headers: 2, listItems: 3, bold: 2 });
  });
});

describe('styleCounts', () => {
  it('counts tokens on the whole answer with the tokenizer it is given, code included', () => {
    const answer = '## 답변\n\n안녕하세요! **반갑습니다.**\n\n```js\nconsole.log("hi");\n```';
    const counts = styleCounts(answer, countTokens);
    expect(counts).toEqual({ tokens: countTokens(answer), headers: 1, listItems: 0, bold: 1 });
    expect(counts.tokens).toBeGreaterThan(10);
  });

  it('sums the answers of a multi-turn side', () => {
    const counter = (text: string) => [...text].length;
    expect(styleCounts(['# 하나', '- 둘\n- 셋'], counter)).toEqual({ tokens: 4 + 7, headers: 1, listItems: 2, bold: 0 });
  });
});
