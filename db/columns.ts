/** Column groups shared by several tables. */
import { integer } from 'drizzle-orm/sqlite-core';

/**
 * An answer's style as style control measures it (server/standings/answer-style.ts): tokens
 * (gpt-tokenizer, o200k), and Markdown headers, list items and bold spans outside code. Null
 * until computed (answers stored before style control are backfilled at start-up).
 */
export const styleColumns = () => ({
  styleTokens: integer('style_tokens'),
  styleHeaders: integer('style_headers'),
  styleListItems: integer('style_list_items'),
  styleBold: integer('style_bold'),
});
