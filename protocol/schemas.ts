/**
 * Payload schemas for every client→server socket event. The server validates with them;
 * the client imports only the inferred types, so zod never reaches the browser bundle.
 */
import { z } from 'zod';
import { WINNERS } from './types.ts';

export const LIMITS = {
  promptMaxChars: 20_000,
  idMaxChars: 64,
} as const;

const battleId = z.string().min(1).max(LIMITS.idMaxChars);
/** A prompt (battles and direct chats): not blank, at most `LIMITS.promptMaxChars` (the config may lower it). */
export const promptSchema = z
  .string()
  .max(LIMITS.promptMaxChars, `must be at most ${LIMITS.promptMaxChars} characters`)
  .refine((s) => s.trim().length > 0, 'must not be empty');

const modelId = z.string().min(1).max(LIMITS.idMaxChars);

export const battleStartSchema = z
  .strictObject({
    prompt: promptSchema,
    /** A battle of the caller's that a model failed in: the prompt goes to a new pair without that model. */
    retryOf: battleId.optional(),
    /** Named mode: the two models the voter chose (left, right), named from the start; the vote never counts in the blind standings. */
    models: z.strictObject({ a: modelId, b: modelId }).optional(),
  })
  .refine((s) => !s.models || s.models.a !== s.models.b, { message: 'must be two different models', path: ['models', 'b'] })
  .refine((s) => !(s.models && s.retryOf), { message: 'a named battle chooses its models: retryOf does not apply', path: ['retryOf'] });
export const battleContinueSchema = z.strictObject({ battleId, prompt: promptSchema });
export const battleVoteSchema = z.strictObject({
  battleId,
  winner: z.enum(WINNERS),
  /** Client-generated id that makes a re-sent vote idempotent. */
  voteId: z.string().min(8).max(LIMITS.idMaxChars).optional(),
});
export const battleResumeSchema = z.strictObject({ battleId });
export const battleStopSchema = z.strictObject({ battleId });
export const emptySchema = z.strictObject({});

export type BattleStartInput = z.infer<typeof battleStartSchema>;
export type BattleContinueInput = z.infer<typeof battleContinueSchema>;
export type BattleVoteInput = z.infer<typeof battleVoteSchema>;
export type BattleResumeInput = z.infer<typeof battleResumeSchema>;
export type BattleStopInput = z.infer<typeof battleStopSchema>;
