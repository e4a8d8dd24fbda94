/** Which integrity rules a battle's vote trips (server/integrity/rules.ts); any flag keeps it out of the public standings. */
import type { IntegrityFlag } from '../../protocol/types.ts';
import { identityMatcher, isTooFast, type ReadingRule } from '../integrity/rules.ts';
import type { ModelRegistry } from '../models/registry.ts';
import type { AnswerRow, BattleRow, TurnRow } from './repo.ts';

export class VoteFlags {
  readonly #registry: ModelRegistry;
  readonly #keywords: readonly string[];
  readonly #reading: ReadingRule | null;
  readonly #now: () => number;
  /** Rebuilt when the registry changes (its names are keywords too). */
  #matcher: { version: number; match: (text: string) => string[] } | null = null;

  constructor(opts: { registry: ModelRegistry; identityKeywords: readonly string[]; reading: ReadingRule | null; now: () => number }) {
    this.#registry = opts.registry;
    this.#keywords = opts.identityKeywords;
    this.#reading = opts.reading;
    this.#now = opts.now;
  }

  of(battle: BattleRow, answers: AnswerRow[], turns: TurnRow[]): IntegrityFlag[] {
    // The voter chose and saw both models: the vote is not blind, whatever the answers say or
    // however fast it came, so `named` alone (the integrity counts stay about blind battles).
    if (battle.mode === 'named') return ['named'];
    const flags: IntegrityFlag[] = [];
    const matcher = this.#currentMatcher();
    if (answers.some((a) => matcher(`${a.content}\n${a.reasoning}`).length > 0)) flags.push('self_identified');
    const lastTurn = turns.at(-1);
    if (this.#reading && lastTurn) {
      const chars = answers.filter((a) => a.turn === battle.turns).reduce((n, a) => n + a.content.length, 0);
      if (isTooFast(chars, this.#now() - lastTurn.createdAt.getTime(), this.#reading)) flags.push('too_fast');
    }
    return flags;
  }

  #currentMatcher(): (text: string) => string[] {
    const registry = this.#registry;
    if (this.#matcher?.version !== registry.version) {
      const names = registry.all().flatMap((m) => registry.identifyingStrings(m));
      this.#matcher = { version: registry.version, match: identityMatcher([...this.#keywords, ...names]) };
    }
    return this.#matcher.match;
  }
}
