import { describe, expect, it } from 'vitest';
import { categoryIdSchema } from '../../../protocol/standings.ts';
import { type Conversation, categorize, containsCode, exceedsTokens, isMath, sortCategories, tagOf } from '../../../server/standings/categories.ts';
import { languageOf } from '../../../server/standings/language.ts';

const options = { longPromptTokens: 1000 };
const one = (prompt: string, a = 'An answer.', b = 'Another answer.'): Conversation => ({ prompts: [prompt], answers: [a, b] });

describe('languageOf', () => {
  it.each([
    ['안녕하세요, 오늘 날씨 어때?', 'lang:ko'],
    ['네', 'lang:ko'],
    ['ㅋㅋㅋ', 'lang:ko'],
    ['1+1은?', 'lang:ko'],
    ['Explain how binary search works', 'lang:en'],
    ['Explain quantum computing to a child', 'lang:en'],
    ['Tell me a joke', 'lang:en'],
    ['Kubernetes deployment strategies comparison', 'lang:en'],
    ['Summarize: climate change impacts agriculture', 'lang:en'],
    ['Best pizza recipe', 'lang:en'],
    ['Ich habe keine Zeit für dich', 'lang:other'],
    ['Raconte moi une histoire', 'lang:other'],
    ['Bana bir hikaye anlat', 'lang:other'],
    ['Hoe gaat het met je? Dit is een test.', 'lang:other'],
    ['Jak się masz? My jesteśmy w domu.', 'lang:other'],
    ['hello', 'lang:en'],
    ['fix my code', 'lang:en'],
    ['你好，今天天气怎么样？', 'lang:zh'],
    ['请用Python写一个快速排序', 'lang:zh'],
    ['こんにちは、元気ですか', 'lang:ja'],
    ['漢字の読み方を教えて', 'lang:ja'],
    ['Guten Morgen, wie geht es Ihnen heute?', 'lang:other'],
    ['Hola, ¿cómo estás?', 'lang:other'],
    ['Как дела? Что нового?', 'lang:other'],
    ['12345 + 678', 'lang:other'],
  ])('%s → %s', (text, expected) => {
    expect(languageOf(text)).toBe(expected);
  });

  it('reads mixed scripts by words: Korean grammar around English terms is Korean, an English question quoting Korean is English', () => {
    expect(languageOf('React에서 useEffect와 useState 차이가 뭐야?')).toBe('lang:ko');
    expect(languageOf('Python으로 quicksort 구현해줘')).toBe('lang:ko');
    expect(languageOf('이 문장을 영어로 번역해줘: I love you')).toBe('lang:ko');
    expect(languageOf('What does 사랑 mean in English?')).toBe('lang:en');
    expect(languageOf('Translate to English: 안녕하세요')).toBe('lang:en');
  });

  it('leaves code and URLs out: a Korean question about an English code block is Korean', () => {
    const prompt =
      '이 코드가 왜 안 돌아가?\n```js\nconst total = items.reduce((sum, item) => sum + item.price, 0);\nconsole.log(total);\n```\nhttps://example.com/docs/reduce';
    expect(languageOf(prompt)).toBe('lang:ko');
  });
});

describe('coding, math and long', () => {
  it('finds fenced code, and unfenced code lines, but not prose', () => {
    expect(containsCode('Here:\n```python\nprint(1)\n```')).toBe(true);
    expect(containsCode('def add(a, b):\n    return a + b\n\nclass Stack:\n    pass\nimport os')).toBe(true);
    expect(containsCode('#include <stdio.h>\nint main() {\n  printf("hi");\n}')).toBe(true);
    expect(containsCode('Binary search halves the interval each step.\nIt needs a sorted array.')).toBe(false);
  });

  it('finds math in prompts: sums, algebra, LaTeX, words in four languages; not dates', () => {
    for (const prompt of [
      '1+1은?',
      'Solve x^2 + 3x = 0',
      'What is \\frac{1}{2} + \\frac{1}{3}?',
      '이차방정식의 근의 공식을 증명해줘',
      '求这个函数的积分',
      'Prove that the square root of 2 is irrational',
    ]) {
      expect(isMath(prompt), prompt).toBe(true);
    }
    for (const prompt of ['Write a haiku about autumn', 'The meeting is on 2024-01-05', '계산기 앱 만들어줘', 'Explain how binary search works']) {
      expect(isMath(prompt), prompt).toBe(false);
    }
  });

  it('counts tokens only past the byte bound, Hangul included', () => {
    expect(exceedsTokens('short', 1000)).toBe(false);
    expect(exceedsTokens('word '.repeat(999), 1000)).toBe(false);
    expect(exceedsTokens('word '.repeat(1200), 1000)).toBe(true);
    expect(exceedsTokens('가나다라마바사아자차 '.repeat(300), 1000)).toBe(true);
  });
});

describe('categorize', () => {
  it('files a Korean prompt under lang:ko only', () => {
    expect(categorize(one('오늘 저녁 메뉴 추천해줘'), options)).toEqual(['lang:ko']);
  });

  it('files a code prompt, or code in either answer, under coding', () => {
    expect(categorize(one('Fix this:\n```js\nlet x = 1\nx++\n```'), options)).toEqual(['lang:en', 'coding']);
    expect(categorize(one('Python으로 quicksort 구현해줘', 'Sure.', '```python\ndef quicksort(xs):\n    return xs\n```'), options)).toEqual([
      'lang:ko',
      'coding',
    ]);
  });

  it('files a multi-turn battle under multi_turn, and a long one under long', () => {
    const conversation = { prompts: ['What is 2 + 2?', 'And times 10?'], answers: ['4', '4', '40', '40'] };
    expect(categorize(conversation, options)).toEqual(['lang:en', 'math', 'multi_turn']);
    expect(categorize(one('Summarize this: '.concat('The quick brown fox jumps over the lazy dog. '.repeat(150))), options)).toEqual(['lang:en', 'long']);
    expect(categorize(one('Summarize this: '.concat('The quick brown fox jumps over the lazy dog. '.repeat(150))), { longPromptTokens: 5000 })).toEqual([
      'lang:en',
    ]);
  });

  it('lets the data decide over the heuristics, and adds evaluation and tags', () => {
    const hints = { language: 'lang:ja' as const, coding: false, evaluation: true, turns: 2, tags: ['Creative Writing', '코딩 & 수학', '   '] };
    expect(categorize(one('```\ncode\n```'), options, hints)).toEqual(['lang:ja', 'multi_turn', 'evaluation', 'tag:creative writing', 'tag:코딩 _ 수학']);
  });

  it('makes tags that are valid category ids, Hangul kept', () => {
    for (const name of ['math', 'criteria.specificity', 'Writing & Roleplay', '한국어 문법', 'İstanbul', 'x'.repeat(100), '𠀀'.repeat(40)]) {
      const tag = tagOf(name)!;
      expect(categoryIdSchema.safeParse(tag).success, tag).toBe(true);
    }
    expect(tagOf('한국어 문법')).toBe('tag:한국어 문법');
    expect(tagOf('!!!')).toBeNull();
    expect(tagOf('😀😀')).toBeNull();
    expect(sortCategories(['tag:b', 'coding', 'tag:a', 'lang:ko', 'coding'])).toEqual(['lang:ko', 'coding', 'tag:a', 'tag:b']);
  });
});
