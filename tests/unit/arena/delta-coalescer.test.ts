import { describe, expect, it } from 'vitest';
import { DeltaCoalescer, type PieceKind } from '../../../server/arena/delta-coalescer.ts';

function harness() {
  const sent: Array<[PieceKind, string]> = [];
  const pending: Array<() => void> = [];
  const coalescer = new DeltaCoalescer(
    (kind, text) => sent.push([kind, text]),
    (flush) => pending.push(flush),
  );
  const tick = () => {
    for (const flush of pending.splice(0)) flush();
  };
  return { sent, coalescer, tick };
}

describe('delta coalescer', () => {
  it('sends the pieces of one turn as one delta, and each later turn as its own', () => {
    const { sent, coalescer, tick } = harness();
    for (const piece of ['안', '녕', '하세요']) coalescer.push('text', piece);
    expect(sent).toEqual([]);
    tick();
    coalescer.push('text', '!');
    tick();
    expect(sent).toEqual([
      ['text', '안녕하세요'],
      ['text', '!'],
    ]);
  });

  it('keeps order across reasoning and text, and flushes before the end', () => {
    const { sent, coalescer, tick } = harness();
    coalescer.push('reasoning', 'think ');
    coalescer.push('reasoning', 'more');
    coalescer.push('text', 'Answer');
    coalescer.push('text', '');
    coalescer.flush();
    tick();
    expect(sent).toEqual([
      ['reasoning', 'think more'],
      ['text', 'Answer'],
    ]);
  });
});
