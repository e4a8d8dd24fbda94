/**
 * Answers of planted style for style-control tests: long or short, with a random amount of
 * Markdown (headers, list items, bold), from a seeded source, served by a provider adapter.
 */
import type { ProviderAdapter } from '../../server/providers/types.ts';

const WORDS = ['the', 'model', 'answers', 'with', 'care', 'and', 'detail', 'about', 'arrays', 'queues', '정렬', '알고리즘', 'binary', 'search'];

function words(n: number, random: () => number): string {
  return Array.from({ length: n }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' ');
}

/** A long (about 250 words) or short (about 25) answer with 0–3 headers, 0–6 list items and 0–4 bold spans (fewer when short). */
export function plantedAnswer(long: boolean, random: () => number): string {
  const pick = (max: number) => Math.floor(random() * (max + 1));
  const scale = long ? 1 : 0.34;
  const lines: string[] = [];
  const headers = pick(Math.round(3 * scale));
  const items = pick(Math.round(6 * scale));
  const bold = pick(Math.round(4 * scale));
  for (let h = 0; h < headers; h++) lines.push(`## ${words(3, random)}`);
  lines.push(words(long ? 200 : 20, random));
  for (let i = 0; i < items; i++) lines.push(`- ${words(long ? 8 : 2, random)}`);
  for (let b = 0; b < bold; b++) lines.push(`**${words(2, random)}** ${words(3, random)}`);
  return lines.join('\n');
}

/** Each model answers long with its own probability; `answered` records what was sent, by model. */
export function plantedStyleAdapter(longShare: Record<string, number>, random: () => number): (model: { id: string }) => ProviderAdapter {
  return (model) =>
    async function* () {
      const text = plantedAnswer(random() < (longShare[model.id] ?? 0.5), random);
      yield { type: 'text', text };
      yield { type: 'usage', inputTokens: 10, outputTokens: 100 };
      yield { type: 'finish', reason: 'stop' };
    };
}
