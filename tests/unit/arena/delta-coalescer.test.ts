import { describe, expect, it } from 'vitest';
import { DeltaCoalescer, FlushWindow, type PieceKind } from '../../../server/arena/delta-coalescer.ts';

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

describe('flush window', () => {
  it('sends every side pending in the window together, inside one `around`, on one timer', async () => {
    const sent: string[] = [];
    const arounds: string[][] = [];
    const window = new FlushWindow(5, (flushAll) => {
      const before = sent.length;
      flushAll();
      arounds.push(sent.slice(before));
    });
    const a = new DeltaCoalescer((_, text) => sent.push(`a:${text}`), window.defer);
    const b = new DeltaCoalescer((_, text) => sent.push(`b:${text}`), window.defer);
    a.push('text', 'Hel');
    b.push('text', 'Bon');
    a.push('text', 'lo');
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 15));
    expect(arounds).toEqual([['a:Hello', 'b:Bon']]);
    b.push('text', 'jour');
    b.flush();
    expect(sent).toEqual(['a:Hello', 'b:Bon', 'b:jour']);
    await new Promise((resolve) => setTimeout(resolve, 15));
    // The window that b's piece opened finds nothing left to send: the end flushed it.
    expect(arounds).toEqual([['a:Hello', 'b:Bon'], []]);
  });
});
