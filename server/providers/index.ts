/** Adapter lookup by the `provider` field of a model's config. */
import { anthropicAdapter } from './anthropic.ts';
import { demoAdapter } from './demo.ts';
import { geminiAdapter } from './gemini.ts';
import { openaiAdapter } from './openai.ts';
import type { ProviderAdapter, ProviderModel, ProviderName } from './types.ts';

const adapters: Record<ProviderName, ProviderAdapter> = {
  demo: demoAdapter,
  openai: openaiAdapter,
  anthropic: anthropicAdapter,
  gemini: geminiAdapter,
};

export function adapterFor(model: Pick<ProviderModel, 'provider'>): ProviderAdapter {
  return adapters[model.provider];
}
