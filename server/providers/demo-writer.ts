/**
 * Offline demo models: deterministic answers for a given conversation, in four visibly different
 * styles and qualities. Pure text generation; no network. None of them ever names itself.
 */
import { briskKo, isKorean, koreanIntent, koreanKeywords, muddleKo, sageKo, verseKo } from './demo-writer-ko.ts';
import type { ChatMessage } from './types.ts';

export const DEMO_STYLES = ['sage', 'brisk', 'muddle', 'verse'] as const;
export type DemoStyle = (typeof DEMO_STYLES)[number];

export const DEMO_CATALOG: Record<DemoStyle, { name: string; tokensPerSecond: number; summary: string }> = {
  sage: { name: 'Sage (demo)', tokensPerSecond: 30, summary: 'thorough, structured Markdown with headings, lists and code' },
  brisk: { name: 'Brisk (demo)', tokensPerSecond: 55, summary: 'short and direct' },
  muddle: { name: 'Muddle (demo)', tokensPerSecond: 22, summary: 'vague, repetitive, often beside the point' },
  verse: { name: 'Verse (demo)', tokensPerSecond: 38, summary: 'playful, answers partly in rhyme' },
};

const STOPWORDS = new Set(
  'a an and are as at be but by can could do does for from has have how i if in into is it its me my of on or please should so tell than that the their them then there these this to us was we what when where which who why will with would you your about explain write give make show some any our two three few short brief simple sentence sentences word words paragraph paragraphs line lines function code program script example examples compare versus difference between work works like need want using use get'.split(
    ' ',
  ),
);

/** FNV-1a: a stable 32-bit hash so the same conversation always gets the same answer. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function seededRandom(seed: number): () => number {
  let state = seed || 1;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)] as T;
}

export function keywords(prompt: string, max = 3): string[] {
  // Most frequent first, then in the order they appear: the subject usually comes early.
  const seen = new Map<string, { count: number; first: number }>();
  let position = 0;
  for (const raw of prompt.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}'+#-]*/gu) ?? []) {
    const word = raw.replace(/'s$/, '');
    position++;
    if (word.length < 3 || STOPWORDS.has(word) || /^\d+$/.test(word)) continue;
    const entry = seen.get(word) ?? { count: 0, first: position };
    entry.count++;
    seen.set(word, entry);
  }
  return [...seen.entries()]
    .sort((x, y) => y[1].count - x[1].count || x[1].first - y[1].first)
    .slice(0, max)
    .map(([w]) => w);
}

type Intent = 'code' | 'list' | 'compare' | 'question' | 'chat';

export function detectIntent(prompt: string): Intent {
  const p = prompt.toLowerCase();
  // Comparing two languages is a comparison, not a request for code.
  if (/\b(vs\.?|versus|compare|difference|better)\b/.test(p)) return 'compare';
  if (/\b(code|function|script|program|implement|python|javascript|typescript|sql|regex|bash|rust|algorithm)\b/.test(p)) return 'code';
  if (/\b(list|ideas|steps|tips|ways|examples)\b/.test(p)) return 'list';
  if (/\?\s*$|^(what|why|how|when|where|who|is|are|can|should|does|do)\b/.test(p.trim())) return 'question';
  return 'chat';
}

function codeLanguage(prompt: string): string {
  const p = prompt.toLowerCase();
  for (const lang of ['python', 'typescript', 'javascript', 'sql', 'bash', 'rust']) if (p.includes(lang)) return lang;
  return 'python';
}

function codeSample(lang: string, topic: string): string {
  const fn =
    topic
      .replace(/[^a-z0-9]+/gi, '_')
      .replace(/^_+|_+$/g, '')
      .toLowerCase() || 'solve';
  switch (lang) {
    case 'typescript':
    case 'javascript':
      return `function ${fn}(items${lang === 'typescript' ? ': number[]' : ''}) {\n  // Work on a copy so the caller's array is left untouched.\n  const result = [...items].sort((a, b) => a - b);\n  return result;\n}\n\nconsole.log(${fn}([3, 1, 2])); // [1, 2, 3]`;
    case 'sql':
      return `SELECT category, COUNT(*) AS total\nFROM ${fn}\nGROUP BY category\nORDER BY total DESC;`;
    case 'bash':
      return `#!/usr/bin/env bash\nset -euo pipefail\nfor f in ./*; do\n  echo "processing $f"\ndone`;
    case 'rust':
      return `fn ${fn}(items: &mut Vec<i32>) {\n    items.sort_unstable();\n}\n\nfn main() {\n    let mut v = vec![3, 1, 2];\n    ${fn}(&mut v);\n    println!("{:?}", v);\n}`;
    default:
      return `def ${fn}(items):\n    """Return the items in ascending order without changing the input."""\n    return sorted(items)\n\n\nprint(${fn}([3, 1, 2]))  # [1, 2, 3]`;
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function sage(prompt: string, topics: string[], intent: Intent, turn: number, rand: () => number): string {
  const topic = topics[0] ?? 'your question';
  const also = topics.slice(1);
  const opener =
    turn > 1
      ? `Building on what we discussed, here is a closer look at **${topic}**.`
      : pick(rand, [
          `Great question. Let's look at **${topic}** step by step.`,
          `Here is a structured answer about **${topic}**.`,
          `Let me break **${topic}** down into its parts.`,
        ]);
  const parts = [opener, ''];
  if (intent === 'code') {
    const lang = codeLanguage(prompt);
    parts.push(
      '## Approach',
      '',
      `1. Pin down the inputs and the expected output for ${topic}.`,
      '2. Keep the function pure, so it is easy to test.',
      '3. Handle the edge cases: empty input, duplicates, very large inputs.',
      '',
      '## Code',
      '',
      `\`\`\`${lang}`,
      codeSample(lang, topic),
      '```',
      '',
      '## Complexity',
      '',
      'Sorting dominates: **O(n log n)** time and **O(n)** extra space.',
    );
  } else if (intent === 'compare' && also.length > 0) {
    parts.push(
      `| Aspect | ${capitalise(topic)} | ${capitalise(also[0] as string)} |`,
      '| --- | --- | --- |',
      '| Strength | depth and control | speed of getting started |',
      '| Trade-off | more to learn | less flexible later |',
      '| Best for | long-lived work | quick experiments |',
      '',
      '**Bottom line:** choose by the constraint that matters most to you, not by popularity.',
    );
  } else {
    parts.push('## Key points', '');
    parts.push(`- **What it is:** ${capitalise(topic)} is best understood by its purpose first and its details second.`);
    if (also.length > 0) parts.push(`- **How it relates:** it connects to ${also.map((t) => `*${t}*`).join(' and ')}, which shape how it behaves in practice.`);
    parts.push(
      `- **Why it matters:** getting ${topic} right early avoids costly rework later.`,
      `- **A common pitfall:** treating ${topic} as a single decision instead of a series of small, testable ones.`,
      '',
      '## In practice',
      '',
      `Start small, measure, and adjust. ${pick(rand, ['A short checklist helps.', 'Write down what "good" looks like before you begin.', 'Compare at least two options side by side.'])}`,
    );
  }
  parts.push('', pick(rand, ['Would you like me to go deeper on any of these points?', 'I can expand any section if that helps.']));
  return parts.join('\n');
}

function brisk(prompt: string, topics: string[], intent: Intent, _turn: number, rand: () => number): string {
  const topic = topics[0] ?? 'that';
  if (intent === 'code') {
    const lang = codeLanguage(prompt);
    return `Here you go:\n\n\`\`\`${lang}\n${codeSample(lang, topic)}\n\`\`\``;
  }
  if (intent === 'list') {
    return `1. Define ${topic} clearly.\n2. Try the simplest option first.\n3. Measure and iterate.`;
  }
  return pick(rand, [
    `Short answer: ${topic} depends mostly on your goal. Pick the simplest option that meets it, then refine.`,
    `In one line: focus on the core of ${topic}, skip the rest until you need it.`,
    `${capitalise(topic)}: keep it simple, test early, and change course when the data says so.`,
  ]);
}

function muddle(_prompt: string, topics: string[], _intent: Intent, _turn: number, rand: () => number): string {
  const topic = topics[topics.length - 1] ?? 'things';
  const filler = [
    `Well, ${topic} is a very interesting topic and there are many things to say about ${topic}.`,
    `Some people think one thing about ${topic} and other people think other things.`,
    'It is important to consider all of the factors, because factors are important.',
    `In general, ${topic} can be good or bad depending on the situation and the context of the situation.`,
    'There are many aspects, and each aspect has aspects of its own.',
  ];
  const out: string[] = [];
  const n = 3 + Math.floor(rand() * 2);
  for (let i = 0; i < n; i++) out.push(pick(rand, filler));
  out.push(`I hope this helps you with ${topic}. In conclusion, it depends.`);
  return out.join(' ');
}

function verse(_prompt: string, topics: string[], intent: Intent, _turn: number, rand: () => number): string {
  const topic = topics[0] ?? 'this';
  const second = topics[1] ?? 'the rest';
  const lines = [
    `*Of ${topic} you ask, and so I'll say,*`,
    `*there's more than one way to find your way.*`,
    '',
    pick(rand, [
      `Think first of why, and then of how; the ${second} can wait for now.`,
      `Take one small step and test it well; the ${second} will have its tale to tell.`,
    ]),
    '',
  ];
  if (intent === 'code')
    lines.push(`And since you asked for code, a tiny sketch:\n\n\`\`\`\n# ${topic}: start here\nresult = solve(${topic.replace(/\W+/g, '_')})\n\`\`\``);
  else lines.push(`In plain words: ${topic} rewards patience, a clear goal and an honest look at the results.`);
  return lines.join('\n');
}

const writers: Record<DemoStyle, typeof sage> = { sage, brisk, muddle, verse };

/** The full answer a demo model gives to this conversation. */
export function demoAnswer(style: DemoStyle, messages: ChatMessage[]): string {
  const userTurns = messages.filter((m) => m.role === 'user');
  const prompt = userTurns[userTurns.length - 1]?.content ?? '';
  const seed = hashString(`${style}\u0000${messages.map((m) => `${m.role}:${m.content}`).join('\u0000')}`);
  const rand = seededRandom(seed);
  if (isKorean(prompt)) return koreanAnswer(style, prompt, userTurns.length, rand);
  const intent = detectIntent(prompt);
  // For code, the language is the medium, not the subject ("sort a list in python" is about sorting).
  const languages = new Set(['python', 'typescript', 'javascript', 'sql', 'bash', 'rust']);
  const topics = keywords(prompt, 6)
    .filter((w) => intent !== 'code' || !languages.has(w))
    .slice(0, 3);
  return writers[style](prompt, topics, intent, userTurns.length, rand);
}

/** A prompt in Hangul gets its answer in Korean, in the same style and quality. */
function koreanAnswer(style: DemoStyle, prompt: string, turn: number, rand: () => number): string {
  const intent = koreanIntent(prompt);
  const topics = koreanKeywords(prompt, 6)
    .filter((w) => intent !== 'code' || !Object.hasOwn(KOREAN_LANGUAGE_NAMES, w))
    .slice(0, 3);
  const choose = <T>(items: readonly T[]) => pick(rand, items);
  const lang = codeLanguage(prompt.replace(/파이썬|자바스크립트|타입스크립트|러스트/g, (name) => KOREAN_LANGUAGE_NAMES[name] ?? name));
  const code = `\`\`\`${lang}\n${codeSample(lang, /^[a-z]/i.test(topics[0] ?? '') ? (topics[0] as string) : 'solve')}\n\`\`\``;
  switch (style) {
    case 'sage':
      return sageKo(topics, intent, turn, choose, code);
    case 'brisk':
      return briskKo(topics, intent, choose, code);
    case 'muddle':
      return muddleKo(topics, choose, 3 + Math.floor(rand() * 2));
    case 'verse':
      return verseKo(topics, intent, choose);
  }
}

const KOREAN_LANGUAGE_NAMES: Record<string, string> = { 파이썬: 'python', 자바스크립트: 'javascript', 타입스크립트: 'typescript', 러스트: 'rust' };

/** Splits text into word-sized pieces (each keeps its trailing whitespace), as a tokenizer would. */
export function splitTokens(text: string): string[] {
  return text.match(/\s*\S+\s*|\s+/g) ?? [];
}
