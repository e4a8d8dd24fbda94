/** What judging costs (pure): a call's estimate before it is made, and its cost from the tokens reported. */
import type { ModelConfig } from '../../models/config.ts';
import { estimateMessagesTokens } from '../../providers/run-completion.ts';
import type { ChatMessage } from '../../providers/types.ts';

/** US dollars for these tokens at the model's prices; 0 for a model without pricing. */
export function callCostUsd(model: Pick<ModelConfig, 'pricing'>, inputTokens: number, outputTokens: number): number {
  const p = model.pricing;
  return p ? (inputTokens * p.inputPerMillion + outputTokens * p.outputPerMillion) / 1e6 : 0;
}

/**
 * A call's cost before it is made: its input estimated at ~4 characters a token, its output at
 * the model's max tokens if set (else `outputTokens`). Null for a model without pricing.
 */
export function estimateCallUsd(model: Pick<ModelConfig, 'pricing' | 'maxTokens'>, messages: ChatMessage[], outputTokens: number): number | null {
  if (!model.pricing) return null;
  return callCostUsd(model, estimateMessagesTokens(messages), model.maxTokens ?? outputTokens);
}
