/**
 * Style of an answer, as LMArena's style control measures it (FastChat add_markdown_info.py): its
 * token count, and its Markdown headers, list items and bold spans outside code blocks. The
 * tokenizer is passed in (server/ratings imports nothing; the server hands it gpt-tokenizer's
 * countTokens), so this stays pure.
 */

export const STYLE_FEATURES = ['tokens', 'headers', 'listItems', 'bold'] as const;
export type StyleFeature = (typeof STYLE_FEATURES)[number];
export type StyleCounts = Record<StyleFeature, number>;

/** Counts the tokens of a text (e.g. `countTokens` from gpt-tokenizer, o200k_base). */
export type TokenCounter = (text: string) => number;

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const HEADER = /^ {0,3}#{1,6}(?:[ \t]|$)/;
const LIST_ITEM = /^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\S/;
const THEMATIC_BREAK = /^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$/;
const BOLD = /\*\*(?=[^\s*])[^*\n]*?[^\s*]\*\*|\*\*[^\s*]\*\*|__(?=[^\s_])[^_\n]*?[^\s_]__|__[^\s_]__/g;
const INLINE_CODE = /(`+)[^`\n]*?\1/g;

/**
 * The text with fenced code blocks (``` or ~~~, closed by a fence of the same kind at least as
 * long, or running to the end) removed, and inline code spans blanked: Markdown inside code is
 * not style.
 */
export function proseOf(markdown: string): string {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const kept: string[] = [];
  let fence: string | null = null;
  for (const line of lines) {
    const opening = FENCE.exec(line);
    if (fence === null) {
      if (opening) fence = opening[1]!;
      else kept.push(line.replace(INLINE_CODE, ' '));
    } else if (opening && opening[1]![0] === fence[0] && opening[1]!.length >= fence.length && line.trim() === opening[1]) {
      fence = null;
    }
  }
  return kept.join('\n');
}

/** Headers (# to ######), list items (-, *, +, 1. or 1)) and bold spans (**…** or __…__) outside code. */
export function markdownCounts(markdown: string): Omit<StyleCounts, 'tokens'> {
  let headers = 0;
  let listItems = 0;
  let bold = 0;
  for (const line of proseOf(markdown).split('\n')) {
    if (HEADER.test(line)) headers++;
    else if (LIST_ITEM.test(line) && !THEMATIC_BREAK.test(line)) listItems++;
    bold += line.match(BOLD)?.length ?? 0;
  }
  return { headers, listItems, bold };
}

/**
 * Style counts of one answer, or of a multi-turn side (the counts of its answers summed, as
 * FastChat sums a conversation's assistant turns). Tokens are counted on the whole text, code included.
 */
export function styleCounts(answer: string | readonly string[], countTokens: TokenCounter): StyleCounts {
  const answers = typeof answer === 'string' ? [answer] : answer;
  const total: StyleCounts = { tokens: 0, headers: 0, listItems: 0, bold: 0 };
  for (const text of answers) {
    const counts = markdownCounts(text);
    total.tokens += countTokens(text);
    total.headers += counts.headers;
    total.listItems += counts.listItems;
    total.bold += counts.bold;
  }
  return total;
}
