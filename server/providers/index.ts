/** Adapter lookup by the `provider` field of a model's config. */
import type { ModelConfig } from '../config/load.ts';
import { anthropicAdapter } from './anthropic.ts';
import { demoAdapter } from './demo.ts';
import { geminiAdapter } from './gemini.ts';
import { openaiAdapter } from './openai.ts';
import type { ProviderAdapter } from './types.ts';

const adapters: Record<ModelConfig['provider'], ProviderAdapter> = {
  demo: demoAdapter,
  openai: openaiAdapter,
  anthropic: anthropicAdapter,
  gemini: geminiAdapter,
};

export function adapterFor(model: ModelConfig): ProviderAdapter {
  return adapters[model.provider];
}
