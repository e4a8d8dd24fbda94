/**
 * Which candidates share a judge's family (pure), for self-preference: the same `organization` in
 * the registry when both name one, else the same leading word of the upstream model name
 * (`gpt-4o` and `gpt-4o-mini` → "gpt"; `claude-3-5-sonnet` → "claude"; `llama3.1:8b` → "llama").
 */
import type { ModelConfig } from '../../models/config.ts';

type Named = Pick<ModelConfig, 'id' | 'model' | 'organization'>;

/** The leading word of the model's upstream name (its id when it has none). */
export function nameFamily(model: Named): string {
  const name = (model.model ?? model.id).split('/').at(-1)!.toLowerCase();
  return /^[a-z]+/.exec(name)?.[0] ?? name;
}

export function sameFamily(a: Named, b: Named): boolean {
  const [orgA, orgB] = [a.organization?.trim().toLowerCase(), b.organization?.trim().toLowerCase()];
  if (orgA && orgB) return orgA === orgB;
  return nameFamily(a) === nameFamily(b);
}

/** Candidates of the judge's family, the judge itself left out. */
export function familyMembers(judge: Named, candidates: readonly Named[]): Set<string> {
  return new Set(candidates.filter((c) => c.id !== judge.id && sameFamily(judge, c)).map((c) => c.id));
}
