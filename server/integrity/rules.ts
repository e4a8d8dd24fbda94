/**
 * Vote integrity rules (pure). What FastChat and LMArena learned: a battle in which a model names
 * itself or its maker is no longer blind, and a vote cast faster than anyone could read both
 * answers says little about them. Flagged votes are kept (admins see them) but not counted.
 */

/** Model and vendor names that give a model away when it says them (FastChat keeps a similar list). */
export const DEFAULT_IDENTITY_KEYWORDS = [
  'OpenAI',
  'ChatGPT',
  'GPT-3.5',
  'GPT-4',
  'GPT-4o',
  'GPT-5',
  'Anthropic',
  'Claude',
  'Google',
  'DeepMind',
  'Gemini',
  'Gemma',
  'Bard',
  'PaLM',
  'Meta AI',
  'LLaMA',
  'Llama',
  'Mistral',
  'Mixtral',
  'Qwen',
  'Alibaba',
  'DeepSeek',
  'Cohere',
  'Command R',
  'Grok',
  'xAI',
  'Microsoft',
  'Phi-3',
  'Phi-4',
  'Yi',
  '01.AI',
  'Zhipu',
  'ChatGLM',
  'Vicuna',
  'LMSYS',
  'Falcon',
  'Nemotron',
  'NVIDIA',
  'Amazon',
  'Titan',
  'Reka',
  'Perplexity',
  'Moonshot',
  'Kimi',
  'Baichuan',
  'InternLM',
];

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Compiles keywords into one case-insensitive matcher on word boundaries ("Meta" ≠ "metadata"). */
export function identityMatcher(keywords: readonly string[]): (text: string) => string[] {
  const cleaned = [...new Set(keywords.map((k) => k.trim()).filter((k) => k.length >= 2))];
  if (cleaned.length === 0) return () => [];
  // Longest first, so "GPT-4o" wins over "GPT-4".
  cleaned.sort((a, b) => b.length - a.length);
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${cleaned.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  return (text) => [...new Set([...text.matchAll(pattern)].map((m) => m[0].toLowerCase()))];
}

export interface ReadingRule {
  /** Seconds a reader needs per 1,000 characters of the two answers of the last turn. */
  secondsPer1kChars: number;
  /** Floor for any vote, seconds. */
  minSeconds: number;
}

/** True when the vote came sooner after the turn began than the answers could be read. */
export function isTooFast(answerChars: number, elapsedMs: number, rule: ReadingRule): boolean {
  const requiredMs = 1000 * Math.max(rule.minSeconds, (rule.secondsPer1kChars * answerChars) / 1000);
  return elapsedMs < requiredMs;
}
