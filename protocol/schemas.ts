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
const prompt = z
  .string()
  .max(LIMITS.promptMaxChars, `must be at most ${LIMITS.promptMaxChars} characters`)
  .refine((s) => s.trim().length > 0, 'must not be empty');

export const battleStartSchema = z.strictObject({
  prompt,
  /** A battle of the caller's that a model failed in: the prompt goes to a new pair without that model. */
  retryOf: battleId.optional(),
});
export const battleContinueSchema = z.strictObject({ battleId, prompt });
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
