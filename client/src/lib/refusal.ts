/** Why the server did not show something, as the pages word it. */
import { ApiError } from './http.ts';

/** It does not exist or is not the asker's to see (`not_found`), they must sign in, or their role may not. */
export type Refusal = 'not_found' | 'unauthorized' | 'forbidden';

export function refusalOf(err: unknown): Refusal | null {
  if (!(err instanceof ApiError) || !err.fromServer) return null;
  const { code, field } = err.body;
  // The pages load one thing by the id in their link: an id the server refuses as malformed
  // (`no such/model`) names nothing there is, and is not found.
  if (code === 'invalid_input' && field === 'id') return 'not_found';
  return code === 'not_found' || code === 'unauthorized' || code === 'forbidden' ? code : null;
}

/** The field a refusal of bad input names (`name`, `view.from`), if any. */
export function fieldOf(err: unknown): string | null {
  return err instanceof ApiError ? (err.body.field ?? null) : null;
}
