/** The `demo` provider: streams a built-in model's answer token by token at a realistic pace. */
import { setTimeout as sleep } from 'node:timers/promises';
import { DEMO_CATALOG, DEMO_STYLES, type DemoStyle, demoAnswer, splitTokens } from './demo-writer.ts';
import { estimateMessagesTokens } from './run-completion.ts';
import type { ProviderAdapter } from './types.ts';
import { ProviderError } from './types.ts';

export function demoStyleOf(model: string | undefined): DemoStyle {
  return (DEMO_STYLES as readonly string[]).includes(model ?? '') ? (model as DemoStyle) : 'sage';
}

export const demoAdapter: ProviderAdapter = async function* (req) {
  const style = demoStyleOf(req.model.model);
  const tps = req.model.tokensPerSecond ?? DEMO_CATALOG[style].tokensPerSecond;
  const tokens = splitTokens(demoAnswer(style, req.messages));
  const limit = req.model.maxTokens ?? Infinity;
  const failAfter = req.model.failAfterTokens;
  let sent = 0;
  for (const token of tokens) {
    if (req.signal.aborted) throw req.signal.reason;
    if (failAfter !== undefined && sent >= failAfter) {
      throw new ProviderError('upstream', 'the demo model was told to fail here (failAfterTokens)');
    }
    if (sent >= limit) break;
    if (tps > 0) await sleep(1000 / tps, undefined, { signal: req.signal });
    else if (sent % 64 === 63) await sleep(0); // let other work run between bursts
    yield { type: 'text', text: token };
    sent++;
  }
  if (failAfter !== undefined && sent >= failAfter) {
    throw new ProviderError('upstream', 'the demo model was told to fail here (failAfterTokens)');
  }
  yield { type: 'usage', inputTokens: estimateMessagesTokens(req.messages), outputTokens: sent };
  yield { type: 'finish', reason: sent >= limit && sent < tokens.length ? 'length' : 'stop' };
};

/** The models served when no config file names any. */
export function builtInDemoModels() {
  return DEMO_STYLES.map((style) => ({
    id: `demo-${style}`,
    name: DEMO_CATALOG[style].name,
    provider: 'demo' as const,
    model: style,
  }));
}
