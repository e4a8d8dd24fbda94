/** Model output is untrusted: Markdown is rendered, then sanitized, and only then reaches the DOM. */
import DOMPurify from 'dompurify';
import { Marked, Renderer } from 'marked';

const marked = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    // A wide table scrolls inside its own box (see Markdown.svelte) instead of widening the page.
    table(token) {
      return `<div class="table-scroll">${Renderer.prototype.table.call(this, token)}</div>\n`;
    },
  },
});

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  }
});

const PURIFY = {
  USE_PROFILES: { html: true },
  FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed'],
  FORBID_ATTR: ['style'],
};

/**
 * Sanitized nodes for one block's HTML, owned by DOMPurify's inert document: nothing in them loads
 * or runs until they are inserted into the page.
 */
function sanitizedNodes(html: string): ChildNode[] {
  return [...DOMPurify.sanitize(html, { ...PURIFY, RETURN_DOM_FRAGMENT: true }).childNodes];
}

/** Rendered top-level blocks: the HTML marked made (the cache key) and the nodes it became. */
interface Block {
  html: string;
  nodes: ChildNode[];
}

/**
 * Renders a growing Markdown text into `root`, block by block. While the text streams, only the
 * last blocks are lexed again; a block whose HTML is unchanged keeps its DOM, and one that changed
 * is patched in place, so an image or a text selection in it survives. `render(text, true)` lexes
 * the whole text (a reference link defined far below its use is only seen then) and ends in the
 * same DOM as a one-shot rendering.
 */
export class MarkdownView {
  readonly #root: HTMLElement;
  #blocks: Block[] = [];
  /** The text already split at a blank line: blocks there cannot change as more text arrives. */
  #settledText = '';
  #settledBlocks = 0;

  constructor(root: HTMLElement) {
    this.#root = root;
  }

  render(source: string, complete: boolean): void {
    const text = source.replace(/\r\n?/g, '\n'); // as marked's lexer does, so offsets match
    if (complete || !text.startsWith(this.#settledText)) {
      this.#settledText = '';
      this.#settledBlocks = 0;
    }
    const tokens = marked.lexer(text.slice(this.#settledText.length));
    const html: string[] = [];
    // Block boundaries at blank lines. The block after the last one may still grow, and so may
    // the one before it (`1. one` + blank + `2` becomes one list once `2. two` arrives), so the
    // text settles up to the boundary before the last.
    const boundaries: Array<{ text: string; blocks: number }> = [];
    let offset = this.#settledText.length;
    tokens.forEach((token, i) => {
      offset += token.raw.length;
      const out = marked.parser([token]);
      if (out) html.push(out);
      if (token.type === 'space' && i < tokens.length - 1) boundaries.push({ text: text.slice(0, offset), blocks: this.#settledBlocks + html.length });
    });
    this.#patch(this.#settledBlocks, html);
    const settled = boundaries.at(-2);
    if (settled) {
      this.#settledText = settled.text;
      this.#settledBlocks = settled.blocks;
    }
  }

  /** Brings blocks from `start` on in line with `html`, leaving unchanged blocks untouched. */
  #patch(start: number, html: string[]): void {
    html.forEach((blockHtml, k) => {
      const block = this.#blocks[start + k];
      if (block?.html === blockHtml) return;
      const fresh = sanitizedNodes(blockHtml);
      if (!block) {
        this.#root.append(...fresh);
        this.#blocks.push({ html: blockHtml, nodes: fresh });
        return;
      }
      const after = this.#blocks.slice(start + k + 1).find((b) => b.nodes.length > 0)?.nodes[0] ?? null;
      block.nodes = patchChildren(this.#root, block.nodes, fresh, after);
      block.html = blockHtml;
    });
    for (const stale of this.#blocks.splice(start + html.length)) for (const node of stale.nodes) node.remove();
  }
}

/**
 * Makes `old` (consecutive children of `parent`, followed by `after`) look like `fresh`, keeping
 * every node that can stay: equal nodes are left alone, same-tag elements are patched in place.
 * Returns the nodes now standing for `fresh`.
 */
function patchChildren(parent: Node, old: ChildNode[], fresh: ChildNode[], after: Node | null): ChildNode[] {
  const result = fresh.map((next, i) => {
    const current = old[i];
    if (!current) {
      parent.insertBefore(next, after);
      return next;
    }
    if (current.isEqualNode(next)) return current;
    if (current.nodeType !== next.nodeType || current.nodeName !== next.nodeName) {
      parent.replaceChild(next, current);
      return next;
    }
    if (current instanceof Element && next instanceof Element) {
      for (const { name } of [...current.attributes]) if (!next.hasAttribute(name)) current.removeAttribute(name);
      for (const { name, value } of [...next.attributes]) if (current.getAttribute(name) !== value) current.setAttribute(name, value);
      patchChildren(current, [...current.childNodes], [...next.childNodes], null);
    } else {
      current.nodeValue = next.nodeValue;
    }
    return current;
  });
  for (const extra of old.slice(fresh.length)) extra.remove();
  return result;
}
