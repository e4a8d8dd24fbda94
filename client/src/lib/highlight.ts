/**
 * Syntax highlighting for code blocks in finished answers. highlight.js loads with the first code
 * block (its own chunk), and works on the already-sanitized DOM: it reads each block's text and
 * writes escaped markup back, so no model text is ever parsed as HTML.
 */
type Hljs = typeof import('./highlighter.ts').default;

let loading: Promise<Hljs> | null = null;

/** Highlights the fenced code blocks under `root` that name a known language. */
export async function highlightCode(root: HTMLElement): Promise<void> {
  const blocks = [...root.querySelectorAll<HTMLElement>('pre code[class*="language-"]:not(.hljs)')];
  if (blocks.length === 0) return;
  loading ??= import('./highlighter.ts').then((m) => m.default);
  const hljs = await loading;
  for (const block of blocks) {
    const language = /language-([\w+-]+)/.exec(block.className)?.[1];
    if (language && hljs.getLanguage(language)) hljs.highlightElement(block);
  }
}
