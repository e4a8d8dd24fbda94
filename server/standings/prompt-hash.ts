/**
 * The key prompt deduplication counts a vote under (server/ratings/prompt-dedup.ts promptKey: user
 * turns, NFC, trimmed, first 10,000 characters), stored as a short hash with the vote
 * (`votes.prompt_hash`), so the fit can count prompts without reading their text.
 */
import { createHash } from 'node:crypto';
import { promptKey } from '../ratings/prompt-dedup.ts';

/** '' for a battle without stored prompts (never deduplicated). */
export function promptHash(userTurns: readonly string[]): string {
  if (userTurns.length === 0) return '';
  return createHash('sha256').update(promptKey(userTurns), 'utf8').digest('base64url').slice(0, 22);
}
