import { describe, expect, it } from 'vitest';
import { modelConfigSchema } from '../../server/models/config.ts';
import { demoAdapter } from '../../server/providers/demo.ts';
import { DEMO_CATALOG, DEMO_STYLES, demoAnswer, splitTokens } from '../../server/providers/demo-writer.ts';
import type { ChatMessage } from '../../server/providers/types.ts';

const ask = (content: string): ChatMessage[] => [{ role: 'user', content }];
const prompts = [
  'What is your name?',
  'Who made you, and which company trained you?',
  'Write a python function to sort a list',
  'Compare Python and Rust',
  'Give me tips for sleeping better',
  'Why is the sky blue?',
];

describe('offline demo models', () => {
  it('answer deterministically for the same conversation', () => {
    for (const style of DEMO_STYLES) for (const p of prompts) expect(demoAnswer(style, ask(p))).toBe(demoAnswer(style, ask(p)));
  });

  it('differ from each other in style and length', () => {
    for (const p of prompts) {
      const answers = DEMO_STYLES.map((style) => demoAnswer(style, ask(p)));
      expect(new Set(answers).size).toBe(DEMO_STYLES.length);
    }
    const sage = demoAnswer('sage', ask('Write a python function to sort a list'));
    const brisk = demoAnswer('brisk', ask('Why is the sky blue?'));
    expect(sage).toMatch(/```python[\s\S]*```/); // thorough, with code
    expect(sage).toMatch(/^## /m);
    expect(brisk.length).toBeLessThan(200); // short and direct
  });

  it('never state their own name', () => {
    for (const style of DEMO_STYLES) {
      for (const p of prompts) {
        const answer = demoAnswer(style, ask(p)).toLowerCase();
        for (const other of DEMO_STYLES) {
          expect(answer, `${style} on "${p}"`).not.toContain(DEMO_CATALOG[other].name.toLowerCase());
          expect(answer, `${style} on "${p}"`).not.toMatch(new RegExp(`\\b${other}\\b`));
        }
      }
    }
  });

  it('take the whole conversation into account on follow-ups', () => {
    const first = demoAnswer('sage', ask('What is a hash table?'));
    const followUp = demoAnswer('sage', [
      ...ask('What is a hash table?'),
      { role: 'assistant', content: first },
      { role: 'user', content: 'What is a hash table?' },
    ]);
    expect(followUp).not.toBe(first);
    expect(followUp).toMatch(/Building on what we discussed/);
  });

  it('stream token by token, each piece keeping its whitespace, and honour maxTokens', async () => {
    const text = demoAnswer('brisk', ask('Explain DNS'));
    expect(splitTokens(text).join('')).toBe(text);
    const model = modelConfigSchema.parse({ id: 'd', name: 'D', provider: 'demo', model: 'sage', tokensPerSecond: 0, maxTokens: 5 });
    const chunks = [];
    for await (const c of demoAdapter({ model, messages: ask('Explain DNS in depth'), signal: new AbortController().signal, apiKey: undefined }))
      chunks.push(c);
    expect(chunks.filter((c) => c.type === 'text')).toHaveLength(5);
    expect(chunks.at(-1)).toEqual({ type: 'finish', reason: 'length' });
  });
});

describe('demo models in Korean', () => {
  const korean = (text: string) => (text.match(/[\uac00-\ud7a3]/g) ?? []).length / Math.max(1, (text.match(/\p{L}/gu) ?? []).length);
  const conversation = (content: string) => [{ role: 'user' as const, content }];

  it('answer a Hangul prompt in Korean, in four different styles, the same way every time', () => {
    const answers = DEMO_STYLES.map((style) => demoAnswer(style, conversation('광합성에 대해 설명해 주세요')));
    for (const answer of answers) expect(korean(answer)).toBeGreaterThan(0.8);
    expect(new Set(answers).size).toBe(4);
    expect(DEMO_STYLES.map((style) => demoAnswer(style, conversation('광합성에 대해 설명해 주세요')))).toEqual(answers);
    // Quality still differs: the thorough model structures its answer, the vague one does not.
    expect(answers[0]).toMatch(/^## /m);
    expect(answers[2]).not.toMatch(/^## /m);
  });

  it('pick particles by the final consonant and keep code in a fenced block', () => {
    expect(demoAnswer('sage', conversation('광합성에 대해 설명해 주세요'))).toContain('**광합성**을');
    expect(demoAnswer('sage', conversation('커피와 차의 차이점을 비교해줘'))).toContain('**커피**와 **차**를');
    const code = demoAnswer('sage', conversation('파이썬으로 리스트를 정렬하는 코드를 보여줘'));
    expect(code).toMatch(/```python\n[\s\S]*sorted\(items\)[\s\S]*```/);
    expect(code).toContain('## 코드');
  });

  it('keep English prompts in English', () => {
    expect(korean(demoAnswer('sage', conversation('Explain photosynthesis')))).toBe(0);
  });
});
