import { describe, expect, it } from 'vitest';
import type { ChatTurnRow } from '../../server/chat/store.ts';
import { answerView, conversation } from '../../server/chat/view.ts';

const turn = (n: number, prompt: string, answer: Partial<ChatTurnRow> = {}): ChatTurnRow => ({
  chatId: 'c1',
  turn: n,
  prompt,
  finishReason: 'stop',
  content: `answer ${n}`,
  reasoning: '',
  inputTokens: 1,
  outputTokens: 1,
  tokensEstimated: false,
  ttftMs: 1,
  totalMs: 2,
  reasoningMs: null,
  errorKind: null,
  errorMessage: null,
  costUsd: null,
  createdAt: new Date(0),
  answeredAt: new Date(0),
  ...answer,
});

describe('direct chat conversation', () => {
  it('sends the system prompt, every answered turn in order, then the new prompt', () => {
    expect(conversation('Be brief.', [turn(1, 'One'), turn(2, '둘')], 'Three')).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'One' },
      { role: 'assistant', content: 'answer 1' },
      { role: 'user', content: '둘' },
      { role: 'assistant', content: 'answer 2' },
      { role: 'user', content: 'Three' },
    ]);
  });

  it('leaves out turns the model never answered (failed, stopped, interrupted)', () => {
    const turns = [turn(1, 'One', { finishReason: 'error', errorKind: 'stopped', content: 'half' }), turn(2, 'Two'), turn(3, 'Three', { finishReason: null })];
    expect(conversation(undefined, turns, 'Four').map((m) => m.content)).toEqual(['Two', 'answer 2', 'Four']);
  });

  it('words a stored failure by its kind, never the service message', () => {
    const view = answerView(turn(1, 'One', { finishReason: 'error', errorKind: 'http', errorMessage: 'HTTP 500 from https://api.vendor.example' }), undefined);
    expect(view).toMatchObject({ failure: 'service_error', interruption: null });
    expect(view.error).not.toContain('vendor');
  });
});
