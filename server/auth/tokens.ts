/** Random bearer tokens (session cookies, invite links) and the hashes stored in their place. */
import { createHash, randomBytes } from 'node:crypto';

/** 256 bits, URL- and cookie-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 hex: tokens are long and random, so a fast hash is enough (no salt or stretching needed). */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
