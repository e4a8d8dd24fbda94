/**
 * The language check in `npm run check`: no words written into a Svelte template. Every text a
 * visitor reads (text, and the attributes read aloud or shown: aria-label, placeholder, title, alt,
 * a component's label) comes from the catalogues in client/src/i18n, so Korean is never a
 * half-translated page. Scripts are not parsed: strings built there go through `i18n.t` by review.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'svelte/compiler';

/** Attributes whose value is read or shown as words. */
const WORD_ATTRIBUTES = new Set(['aria-label', 'aria-description', 'aria-roledescription', 'aria-valuetext', 'placeholder', 'title', 'alt', 'label']);
/** Elements whose text is not language: code, keys, and the names of formats. */
const LITERAL_ELEMENTS = new Set(['code', 'kbd', 'pre', 'samp', 'style', 'script']);
/** Words the same in every language: names of methods, formats and the product. */
const SAME_IN_EVERY_LANGUAGE = new Set(['Elo', 'Bradley-Terry', 'BT', 'CSV', 'JSON', 'JSONL', 'Markdown', 'Arena', 'ID', 'URL']);

export interface Finding {
  file: string;
  line: number;
  text: string;
}

const hasWords = (text: string) => {
  const words = text.match(/[\p{L}][\p{L}\p{M}'’-]*/gu) ?? [];
  return words.some((word) => !SAME_IN_EVERY_LANGUAGE.has(word) && !/^[A-Z]$/.test(word));
};

interface Node {
  type?: string;
  name?: string;
  data?: string;
  start?: number;
  value?: unknown;
  [key: string]: unknown;
}

/** Every template text and word attribute written as a literal, with its line. */
export function untranslated(source: string, file: string): Finding[] {
  const ast = parse(source, { modern: true }) as unknown as { fragment: Node };
  const findings: Finding[] = [];
  const lineAt = (offset: number) => source.slice(0, offset).split('\n').length;
  const report = (text: string, start: number) => findings.push({ file, line: lineAt(start), text: text.trim().slice(0, 60) });

  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const n = node as Node;
    if (n.type === 'Text') {
      if (hasWords(n.data ?? '')) report(n.data ?? '', n.start ?? 0);
      return;
    }
    if (n.type === 'Comment') return;
    if (n.type === 'Attribute') {
      if (n.name && WORD_ATTRIBUTES.has(n.name) && Array.isArray(n.value)) {
        for (const part of n.value as Node[]) if (part.type === 'Text' && hasWords(part.data ?? '')) report(`${n.name}="${part.data}"`, part.start ?? 0);
      }
      return;
    }
    // Expressions are JavaScript: their strings are the script's business.
    if (n.type === 'ExpressionTag' || n.type === 'HtmlTag') return;
    if (n.type === 'RegularElement' && n.name && LITERAL_ELEMENTS.has(n.name)) {
      visit(n.attributes);
      return;
    }
    for (const [key, value] of Object.entries(n)) {
      if (key === 'expression' || key === 'metadata' || key === 'context' || key === 'test') continue;
      if (value && typeof value === 'object') visit(value);
    }
  };
  visit(ast.fragment);
  return findings;
}

function svelteFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return svelteFiles(path);
    return entry.name.endsWith('.svelte') ? [path] : [];
  });
}

function main(): void {
  const root = process.cwd();
  const findings = svelteFiles(join(root, 'client/src')).flatMap((path) => untranslated(readFileSync(path, 'utf8'), relative(root, path)));
  for (const f of findings) console.error(`${f.file}:${f.line}  words in the template: "${f.text}" (use i18n.t with a message in client/src/i18n)`);
  if (findings.length > 0) {
    console.error(`\ni18n: ${findings.length} untranslated text(s).`);
    process.exit(1);
  }
  console.log('i18n: every template text comes from the catalogues.');
}

if (import.meta.url === `file://${process.argv[1]}`) main();
