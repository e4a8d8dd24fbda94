import { describe, expect, it } from 'vitest';
import { DebouncedSearch, searchText, type Timers } from '../../../client/src/lib/search-input.ts';

/** Timers the test moves by hand. */
function manualTimers(): Timers & { advance(ms: number): void; pending(): number } {
  let now = 0;
  let next = 1;
  const due = new Map<number, { at: number; fn: () => void }>();
  return {
    setTimeout(fn, ms) {
      due.set(next, { at: now + ms, fn });
      return next++;
    },
    clearTimeout(handle) {
      due.delete(handle as number);
    },
    advance(ms) {
      now += ms;
      for (const [id, t] of [...due].sort((x, y) => x[1].at - y[1].at)) {
        if (t.at > now) continue;
        due.delete(id);
        t.fn();
      }
    },
    pending: () => due.size,
  };
}

function setUp(initial = '') {
  const timers = manualTimers();
  const asked: string[] = [];
  const search = new DebouncedSearch((text) => asked.push(text), { delayMs: 300, timers, initial });
  return { timers, asked, search };
}

describe('DebouncedSearch', () => {
  it('asks once typing pauses, with the last text only', () => {
    const { timers, asked, search } = setUp();
    search.input('s');
    timers.advance(100);
    search.input('so');
    timers.advance(100);
    search.input('sort');
    timers.advance(299);
    expect(asked).toEqual([]);
    timers.advance(1);
    expect(asked).toEqual(['sort']);
  });

  it('never asks during a Korean IME composition, and asks the composed word after it ends', () => {
    const { timers, asked, search } = setUp();
    search.compositionStart();
    // The intermediate states a 2-set keyboard produces for 코딩, each with an input event marked isComposing.
    for (const partial of ['ㅋ', '코', '콛', '코디', '코딩']) {
      search.input(partial, true);
      timers.advance(500);
    }
    // Some browsers do not mark every input event; the composition itself still holds the search.
    search.input('코딩', false);
    timers.advance(500);
    expect(search.composing).toBe(true);
    expect(asked).toEqual([]);
    search.compositionEnd('코딩');
    expect(search.composing).toBe(false);
    timers.advance(300);
    expect(asked).toEqual(['코딩']);
  });

  it('takes Enter at once but not while it only confirms a composition, and drops the pending pause', () => {
    const { timers, asked, search } = setUp();
    search.input('binary');
    search.submit('binary');
    expect(asked).toEqual(['binary']);
    timers.advance(1000);
    expect(asked).toEqual(['binary']);
    search.compositionStart();
    search.submit('이진');
    expect(asked).toEqual(['binary']);
    search.compositionEnd('이진');
    search.submit('이진');
    expect(asked).toEqual(['binary', '이진']);
    expect(timers.pending()).toBe(0);
  });

  it('does not ask again for the text already shown (the starting text, trailing spaces, the same word)', () => {
    const { timers, asked, search } = setUp('김치');
    search.input('김치 ');
    timers.advance(300);
    search.submit('김치');
    expect(asked).toEqual([]);
    search.input('');
    timers.advance(300);
    expect(asked).toEqual(['']);
  });

  it('sends composed Hangul: decomposed (NFD) text, as some systems paste it, becomes NFC', () => {
    const decomposed = '한국어'.normalize('NFD');
    expect(decomposed).not.toBe('한국어');
    expect(searchText(`  ${decomposed} `)).toBe('한국어');
    const { timers, asked, search } = setUp();
    search.input(decomposed);
    timers.advance(300);
    expect(asked).toEqual(['한국어']);
  });
});
