/** A resumed battle's view taken on another instance, with what reached the page after it (pure). */
import { describe, expect, it } from 'vitest';
import type { BattleView } from '../../../protocol/types.ts';
import { withLater } from '../../../server/arena/battle-view.ts';

const streaming = (text: string) => ({ text, reasoning: '', reasoningMs: null, finishReason: null, error: null, failure: null, interruption: null });
const view: BattleView = {
  battleId: 'b1',
  status: 'streaming',
  turns: [{ turn: 1, prompt: 'Why?', a: streaming('Because '), b: streaming('') }],
  vote: null,
};

describe('withLater', () => {
  it('appends later pieces and ends of this battle, in order, and leaves the view itself alone', () => {
    const folded = withLater(view, [
      { delta: { battleId: 'b1', turn: 1, side: 'a', text: 'it is.' } },
      { delta: { battleId: 'b1', turn: 1, side: 'b', text: '', reasoning: 'Hmm.' } },
      { delta: { battleId: 'other', turn: 1, side: 'b', text: 'not mine' } },
      { end: { battleId: 'b1', turn: 1, side: 'a', finishReason: 'stop' } },
    ]);
    expect(folded.turns[0]!.a).toMatchObject({ text: 'Because it is.', finishReason: 'stop', error: null });
    expect(folded.turns[0]!.b).toMatchObject({ text: '', reasoning: 'Hmm.', finishReason: null });
    expect(view.turns[0]!.a.text).toBe('Because ');
  });
});
