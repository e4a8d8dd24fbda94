/**
 * Direct chat: one chosen model, a multi-turn conversation streamed over the socket, thumbs up or
 * down and a flag per answer. For trying a model (e.g. before adding it to battles): nothing of a
 * chat is ever counted in a rating, a standings view or a public speed or cost figure.
 * Types and schemas only (server and page both import them).
 */
import { z } from 'zod';
import { LIMITS, promptSchema } from './schemas.ts';
import type { AnswerView, FinishReason, Interruption, PublicFailure, PublicModel } from './types.ts';

const id = z.string().min(1).max(LIMITS.idMaxChars);

export const CHAT_RATINGS = ['up', 'down'] as const;
export type ChatRating = (typeof CHAT_RATINGS)[number];

export const CHAT_FLAG_REASON_MAX_CHARS = 1000;

/** Starts a chat with one model: any registry model for admins, an enabled (public) one for everyone else. */
export const chatStartSchema = z.strictObject({ modelId: id, prompt: promptSchema });
/** The next turn of a chat of the caller's; the model sees the whole conversation so far. */
export const chatSendSchema = z.strictObject({ chatId: id, prompt: promptSchema });
export const chatRefSchema = z.strictObject({ chatId: id });
/**
 * Feedback on one answer: `rating` sets (or with null clears) thumbs up or down; `flagged` marks
 * (or unmarks) the answer for the admins, with an optional `reason`. Fields left out keep their value.
 */
export const chatFeedbackSchema = z
  .strictObject({
    chatId: id,
    turn: z.number().int().min(1).max(1000),
    rating: z.enum(CHAT_RATINGS).nullable().optional(),
    flagged: z.boolean().optional(),
    reason: z.string().trim().max(CHAT_FLAG_REASON_MAX_CHARS, `must be at most ${CHAT_FLAG_REASON_MAX_CHARS} characters`).optional(),
  })
  .refine((s) => s.rating !== undefined || s.flagged !== undefined, { message: 'give a rating or a flag', path: ['rating'] })
  .refine((s) => s.reason === undefined || s.flagged === true, { message: 'a reason goes with flagged: true', path: ['reason'] });

export type ChatStartInput = z.infer<typeof chatStartSchema>;
export type ChatSendInput = z.infer<typeof chatSendSchema>;
export type ChatRefInput = z.infer<typeof chatRefSchema>;
export type ChatFeedbackInput = z.infer<typeof chatFeedbackSchema>;

/** A model the caller may chat with. */
export interface ChatModel extends PublicModel {
  /** False for a model switched off in the registry: only admins are offered those. */
  enabled: boolean;
}

export interface ChatFeedback {
  rating: ChatRating | null;
  flagged: boolean;
  /** The reason given with the flag, if any. */
  reason: string | null;
}

export interface ChatTurnView {
  turn: number;
  prompt: string;
  answer: AnswerView;
  feedback: ChatFeedback;
}

/** A chat as its owner sees it (for resuming after a reload), a turn still streaming included. */
export interface ChatView {
  chatId: string;
  model: { id: string; name: string };
  /** `streaming` while the last turn's answer is coming; `ready` for the next prompt. */
  status: 'streaming' | 'ready';
  turns: ChatTurnView[];
}

export interface ChatDelta {
  chatId: string;
  turn: number;
  /** The new piece only, never the whole text so far. */
  text: string;
  /** Present instead of `text` for reasoning ("thinking") pieces. */
  reasoning?: string;
}

export interface ChatEnd {
  chatId: string;
  turn: number;
  finishReason: FinishReason;
  /** The failure in English words; `failure` names it for the page to word. */
  error?: string;
  failure?: PublicFailure;
  reasoningMs?: number;
  /** Set when the arena cut the answer short (the user stopped it, or the server restarted). */
  interruption?: Interruption;
}

/** The chat's socket events (added to protocol/events.ts). */
export interface ChatSocket {
  requests: {
    'chat:models': Record<string, never>;
    'chat:start': ChatStartInput;
    'chat:send': ChatSendInput;
    'chat:stop': ChatRefInput;
    'chat:resume': ChatRefInput;
    'chat:feedback': ChatFeedbackInput;
  };
  acks: {
    /** The models the caller may chat with (admins: the whole registry, switched-off models too). */
    'chat:models': { models: ChatModel[] };
    'chat:start': { chatId: string };
    'chat:send': Record<never, never>;
    /** Once the running answer is cut and stored; the chat can go on. */
    'chat:stop': Record<never, never>;
    'chat:resume': { chat: ChatView };
    /** The answer's feedback as now stored. */
    'chat:feedback': { feedback: ChatFeedback };
  };
  pushes: {
    'chat:delta': (payload: ChatDelta) => void;
    'chat:end': (payload: ChatEnd) => void;
  };
}
