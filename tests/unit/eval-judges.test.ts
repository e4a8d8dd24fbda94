import { describe, expect, it } from 'vitest';
import { distinctPrompts, promptKey } from '../../server/evaluations/battle-prompts.ts';
import { checkGold, goldAccuracy } from '../../server/evaluations/gold.ts';
import { calibrate, humanMajority, judgeOutcomes } from '../../server/evaluations/judges/calibration.ts';
import { familyMembers, sameFamily } from '../../server/evaluations/judges/family.ts';
import { judgeMessages } from '../../server/evaluations/judges/prompt.ts';
import { bootstrapInterval, kendallTauB, spearman, wilsonInterval } from '../../server/evaluations/judges/statistics.ts';
import { choiceOf, combineOrders, parseVerdict } from '../../server/evaluations/judges/verdict.ts';
import { importPrompts } from '../../server/evaluations/prompt-import.ts';

describe('judge verdicts', () => {
  it('reads exactly one distinct [[…]] verdict, as Arena-Hard-Auto does, and nothing else', () => {
    expect(parseVerdict('Long reasoning…\n\nMy final verdict is: [[A>>B]]')).toBe('A>>B');
    expect(parseVerdict('[[B>A]] … to repeat, [[B>A]]')).toBe('B>A');
    expect(parseVerdict('[[ A = B ]]')).toBe('A=B');
    expect(parseVerdict('[[A<B]]')).toBe('B>A');
    expect(parseVerdict('no tag here')).toBeNull();
    expect(parseVerdict('[[A>B]] or maybe [[B>A]]')).toBeNull();
    expect(parseVerdict('[[A>=B]]')).toBeNull();
    expect(parseVerdict('[[C]] and [[A>B]]')).toBe('A>B');
  });
  it('puts a verdict in the item’s terms whatever the order, and calls disagreement between orders a tie', () => {
    expect(choiceOf('A>B', 'xy')).toBe('x');
    expect(choiceOf('A>B', 'yx')).toBe('y');
    expect(choiceOf('B>>A', 'yx')).toBe('x');
    expect(choiceOf('A=B', 'yx')).toBe('tie');
    expect(combineOrders('x', 'x')).toBe('x');
    expect(combineOrders('x', 'y')).toBe('tie');
    expect(combineOrders('y', 'tie')).toBe('tie');
  });
  it('frames one turn as Arena-Hard-Auto and several as MT-Bench, answers in the order given', () => {
    const [system, user] = judgeMessages('Judge!', { turns: ['Q'], first: ['one'], second: ['two'] });
    expect(system).toEqual({ role: 'system', content: 'Judge!' });
    expect(user!.content).toBe(
      "<|User Prompt|>\nQ\n\n<|The Start of Assistant A's Answer|>\none\n<|The End of Assistant A's Answer|>\n\n<|The Start of Assistant B's Answer|>\ntwo\n<|The End of Assistant B's Answer|>",
    );
    const multi = judgeMessages('J', { turns: ['Q1', 'Q2'], first: ['a1', 'a2'], second: ['b1', 'b2'] })[1]!.content;
    expect(multi).toMatch(/Assistant A's Conversation with User\|>\n\n### User:\nQ1\n\n### Assistant A:\na1\n\n### User:\nQ2\n\n### Assistant A:\na2/);
    expect(multi.indexOf("Assistant B's Conversation")).toBeGreaterThan(multi.indexOf('a2'));
  });
});

describe('calibration statistics', () => {
  it('computes Wilson intervals, reproducible bootstrap intervals and rank correlations', () => {
    const w = wilsonInterval(4, 6)!;
    expect(w.lower).toBeCloseTo(0.3, 3);
    expect(w.upper).toBeCloseTo(0.9032, 3);
    expect(wilsonInterval(0, 0)).toBeNull();
    const data = [1, 2, 3, 4, 5, 6, 7, 8];
    const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const a = bootstrapInterval(data, mean)!;
    expect(bootstrapInterval(data, mean)).toEqual(a);
    expect(a.lower).toBeLessThan(4.5);
    expect(a.upper).toBeGreaterThan(4.5);
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
    expect(spearman([1, 2, 3], [5, 5, 5])).toBeNull();
    // τ-b with one swapped pair out of six: (5 − 1)/6.
    expect(kendallTauB([1, 2, 3, 4], [1, 3, 2, 4])).toBeCloseTo(4 / 6, 12);
  });
  it('takes the human majority only where it is clear, and "both bad" as a tie', () => {
    const m = humanMajority([
      { itemId: 'a', category: 'x' },
      { itemId: 'a', category: 'x' },
      { itemId: 'a', category: 'y' },
      { itemId: 'b', category: 'x' },
      { itemId: 'b', category: 'y' },
      { itemId: 'c', category: 'bothbad' },
    ]);
    expect([...m.entries()]).toEqual([
      ['a', 'x'],
      ['c', 'tie'],
    ]);
  });
  it('counts items left unparsed or failed apart from those with an outcome', () => {
    const out = judgeOutcomes([
      { itemId: 'a', order: 'xy', status: 'done', verdict: 'A>B' },
      { itemId: 'a', order: 'yx', status: 'done', verdict: 'B>A' },
      { itemId: 'b', order: 'xy', status: 'unparsed', verdict: null },
      { itemId: 'b', order: 'yx', status: 'done', verdict: 'A>B' },
      { itemId: 'c', order: 'xy', status: 'failed', verdict: null },
      { itemId: 'd', order: 'xy', status: 'pending', verdict: null },
    ]);
    expect({ outcomes: [...out.outcomes], unparsed: out.unparsed, failed: out.failed, pending: out.pending }).toEqual({
      outcomes: [['a', 'x']],
      unparsed: 1,
      failed: 1,
      pending: 1,
    });
  });
  it('reports self-preference for the judge’s own family by organization or model name', () => {
    expect(sameFamily({ id: 'a', model: 'gpt-4o' }, { id: 'b', model: 'gpt-4o-mini' })).toBe(true);
    expect(sameFamily({ id: 'a', model: 'openai/gpt-4o', organization: 'OpenAI' }, { id: 'b', model: 'o3', organization: 'openai' })).toBe(true);
    expect(sameFamily({ id: 'a', model: 'claude-3-5-sonnet' }, { id: 'b', model: 'llama3.1:8b' })).toBe(false);
    expect([
      ...familyMembers({ id: 'j', model: 'qwen2.5-72b' }, [
        { id: 'j', model: 'qwen2.5-72b' },
        { id: 'q', model: 'qwen3-8b' },
        { id: 'l', model: 'llama3' },
      ]),
    ]).toEqual(['q']);
    const items = new Map([['i1', { itemId: 'i1', modelX: 'q', modelY: 'l', category: null }]]);
    const measured = calibrate(
      items,
      [
        { itemId: 'i1', order: 'xy', status: 'done', verdict: 'A>B' },
        { itemId: 'i1', order: 'yx', status: 'done', verdict: 'B>A' },
      ],
      [{ itemId: 'i1', category: 'y' }],
      { judge: 'j', family: new Set(['q']), humanRatings: new Map(), modelName: (id) => id },
    );
    expect(measured.selfPreference).toEqual([{ model: 'q', relation: 'family', items: 1, judgeScore: 1, humanScore: 0, delta: 1 }]);
  });
});

describe('gold items and prompt sets', () => {
  it('reads gold answers in both forms, one per turn, and scores voters against them', () => {
    expect(checkGold({ better: 'good', worse: 'bad' }, 1)).toEqual({ a: ['good'], b: ['bad'], verdict: 'a' });
    expect(checkGold({ a: ['x1', 'x2'], b: ['y1', 'y2'], verdict: 'bothbad' }, 2)).toEqual({ a: ['x1', 'x2'], b: ['y1', 'y2'], verdict: 'bothbad' });
    expect(checkGold({ a: 'x', b: 'y', verdict: 'a' }, 2)).toMatch(/one answer per turn/);
    expect(checkGold('x', 1)).toMatch(/must be an object/);
    const scored = goldAccuracy(
      [
        { voter: 'a', choice: 'x', expected: 'x' },
        { voter: 'a', choice: 'y', expected: 'x' },
        { voter: 'b', choice: 'tie', expected: 'tie' },
      ],
      0.75,
    );
    expect(scored).toEqual([
      { voter: 'a', judged: 2, correct: 1, accuracy: 0.5, excluded: true },
      { voter: 'b', judged: 1, correct: 1, accuracy: 1, excluded: false },
    ]);
  });
  it('reads multi-turn prompts from CSV turn columns, refusing gaps', () => {
    const ok = importPrompts('csv', 'turn_1,turn_2,category\nHi,Follow up,chat\nSolo,,\n');
    expect(ok.prompts.map((p) => p.turns)).toEqual([['Hi', 'Follow up'], ['Solo']]);
    expect(importPrompts('csv', 'turn1,turn2,turn3\na,,c\n').problems).toEqual([{ line: 2, message: 'turn_2 is empty but a later turn is not' }]);
    expect(importPrompts('csv', 'prompt,turn_1\na,b\n').problems).toEqual([{ line: 1, message: 'use either a "prompt" or a "turn_1" column, not both' }]);
    expect(importPrompts('csv', 'prompt,gold_a,gold_b,gold_verdict\nq,good,bad,a\n').prompts[0]!.gold).toEqual({ a: ['good'], b: ['bad'], verdict: 'a' });
  });
  it('removes duplicate prompts from battles across case, spacing and Unicode forms, newest first', () => {
    const hangul = '한국어 질문입니다';
    expect(promptKey([hangul])).toBe(promptKey([hangul.normalize('NFD')]));
    const at = (d: number) => new Date(Date.UTC(2026, 0, d));
    const preview = distinctPrompts(
      [
        { battleId: '3', createdAt: at(3), turns: ['Hello  world'] },
        { battleId: '2', createdAt: at(2), turns: ['hello world'] },
        { battleId: '1', createdAt: at(1), turns: ['Other', 'Second turn'] },
      ],
      10,
    );
    expect(preview).toEqual({
      battles: 3,
      duplicates: 1,
      prompts: [
        { turns: ['Hello  world'], battles: 2, lastAt: at(3).toISOString() },
        { turns: ['Other', 'Second turn'], battles: 1, lastAt: at(1).toISOString() },
      ],
    });
  });
});
