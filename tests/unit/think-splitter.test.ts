import { describe, expect, it } from 'vitest';
import { type ThinkPiece, ThinkSplitter } from '../../server/providers/think-splitter.ts';

/** Feeds the pieces and merges the output into { reasoning, text } plus the sequence of types. */
function split(pieces: string[]) {
  const splitter = new ThinkSplitter();
  const out: ThinkPiece[] = [];
  for (const piece of pieces) out.push(...splitter.push(piece));
  out.push(...splitter.flush());
  const join = (type: ThinkPiece['type']) =>
    out
      .filter((p) => p.type === type)
      .map((p) => p.text)
      .join('');
  return { reasoning: join('reasoning'), text: join('text'), out };
}

/** Every way of cutting `input` into two pieces. */
function everyCut(input: string): string[][] {
  return Array.from({ length: input.length + 1 }, (_, i) => [input.slice(0, i), input.slice(i)]);
}

describe('ThinkSplitter', () => {
  it('passes plain text through unchanged, piece by piece', () => {
    const splitter = new ThinkSplitter();
    expect(splitter.push('Hello')).toEqual([{ type: 'text', text: 'Hello' }]);
    expect(splitter.push(' world')).toEqual([{ type: 'text', text: ' world' }]);
    expect(splitter.flush()).toEqual([]);
  });

  it('sends an answer that begins with <think> to reasoning until </think>', () => {
    expect(split(['<think>\nLet me see.\n</think>\n\nThe answer is 4.'])).toMatchObject({
      reasoning: 'Let me see.\n',
      text: 'The answer is 4.',
    });
  });

  it('handles tags split across chunks', () => {
    expect(split(['<th', 'ink>', 'plan', '</', 'think>', 'done'])).toMatchObject({ reasoning: 'plan', text: 'done' });
    expect(split(['<', 't', 'h', 'i', 'n', 'k', '>', 'a', '<', '/', 't', 'hink', '>', 'b'])).toMatchObject({
      reasoning: 'a',
      text: 'b',
    });
  });

  it('gives the same result wherever the stream is cut', () => {
    const input = '  <think>\nstep one, step two\n</think>\n\nFinal <b>bold</b> answer';
    for (const pieces of everyCut(input)) {
      expect(split(pieces)).toMatchObject({ reasoning: 'step one, step two\n', text: 'Final <b>bold</b> answer' });
    }
    const chars = split([...input]);
    expect(chars).toMatchObject({ reasoning: 'step one, step two\n', text: 'Final <b>bold</b> answer' });
  });

  it('holds back only what could still be a tag', () => {
    const splitter = new ThinkSplitter();
    expect(splitter.push('a <')).toEqual([{ type: 'text', text: 'a ' }]);
    expect(splitter.push('b')).toEqual([{ type: 'text', text: '<b' }]);
    expect(splitter.push('<thin')).toEqual([]);
    expect(splitter.flush()).toEqual([{ type: 'text', text: '<thin' }]);
  });

  it('separates a think block in the middle of an answer', () => {
    expect(split(['Intro. <think>hidden</think> Outro.'])).toMatchObject({ reasoning: 'hidden', text: 'Intro. Outro.' });
  });

  it('keeps leading whitespace of an answer without think tags', () => {
    expect(split(['\n\n', '  Indented'])).toMatchObject({ text: '\n\n  Indented', reasoning: '' });
    expect(split(['   '])).toMatchObject({ text: '   ' });
  });

  it('releases unfinished reasoning when the stream ends inside <think>', () => {
    expect(split(['<think>still thinking', ' </thi'])).toMatchObject({ reasoning: 'still thinking </thi', text: '' });
  });

  it('only treats the exact lowercase tags as tags', () => {
    expect(split(['<Think>x</Think> <thinking>y</thinking>'])).toMatchObject({
      text: '<Think>x</Think> <thinking>y</thinking>',
      reasoning: '',
    });
  });

  it('merges consecutive pieces of one kind within a push', () => {
    const splitter = new ThinkSplitter();
    expect(splitter.push('<think>a</think>b<think>c')).toEqual([
      { type: 'reasoning', text: 'a' },
      { type: 'text', text: 'b' },
      { type: 'reasoning', text: 'c' },
    ]);
  });
});
