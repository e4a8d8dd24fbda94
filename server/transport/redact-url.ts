/** A connection URL as it may be printed or logged: its password hidden. */

/** What `redactedUrl` gives for text that is not a URL (nothing of it is shown: it may hold a secret). */
export const UNREADABLE_URL = '(not a URL)';

export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return UNREADABLE_URL;
  }
}
