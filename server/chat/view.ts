/** What the owner of a chat may see of it (pure): stored turns, the answer still streaming, the feedback. */
import type { ChatFeedback, ChatView } from '../../protocol/chat.ts';
import type { AnswerView } from '../../protocol/types.ts';
import { interruptionOf, publicErrorMessage, publicFailure } from '../arena/public-error.ts';
import type { ChatMessage, ProviderErrorKind } from '../providers/types.ts';
import type { LiveAnswer } from './runner.ts';
import type { ChatRow, ChatTurnRow, FeedbackRow } from './store.ts';

export const NO_FEEDBACK: ChatFeedback = { rating: null, flagged: false, reason: null };

export function feedbackOf(row: FeedbackRow | undefined): ChatFeedback {
  return row ? { rating: row.rating, flagged: row.flagged, reason: row.reason } : NO_FEEDBACK;
}

export function answerView(row: ChatTurnRow, live: LiveAnswer | undefined): AnswerView {
  if (row.finishReason === null) {
    const streaming = live?.turn === row.turn ? live : undefined;
    return {
      text: streaming?.text.join('') ?? '',
      reasoning: streaming?.reasoning.join('') ?? '',
      reasoningMs: null,
      finishReason: null,
      error: null,
      failure: null,
      interruption: null,
    };
  }
  const kind = row.errorKind as ProviderErrorKind | null;
  return {
    text: row.content,
    reasoning: row.reasoning,
    reasoningMs: row.reasoningMs,
    finishReason: row.finishReason,
    error: kind ? publicErrorMessage({ kind, message: row.errorMessage ?? '' }) : null,
    failure: kind ? publicFailure(kind) : null,
    interruption: interruptionOf(kind),
  };
}

export function chatView(
  chat: ChatRow,
  stored: { turns: ChatTurnRow[]; feedback: FeedbackRow[] },
  live: LiveAnswer | undefined,
  model: { id: string; name: string },
): ChatView {
  return {
    chatId: chat.id,
    model,
    status: live ? 'streaming' : 'ready',
    turns: stored.turns.map((t) => ({
      turn: t.turn,
      prompt: t.prompt,
      answer: answerView(t, live),
      feedback: feedbackOf(stored.feedback.find((f) => f.turn === t.turn)),
    })),
  };
}

/**
 * The conversation the model is sent for the next turn: its system prompt, every earlier turn it
 * answered (a failed or cut-short answer is left out with its prompt: the model never replied to
 * it), then the new prompt.
 */
export function conversation(systemPrompt: string | undefined, turns: ChatTurnRow[], prompt: string): ChatMessage[] {
  const messages: ChatMessage[] = systemPrompt ? [{ role: 'system', content: systemPrompt }] : [];
  for (const t of turns) {
    if (t.finishReason === null || t.finishReason === 'error') continue;
    messages.push({ role: 'user', content: t.prompt }, { role: 'assistant', content: t.content });
  }
  messages.push({ role: 'user', content: prompt });
  return messages;
}
