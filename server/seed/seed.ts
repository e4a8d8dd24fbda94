/**
 * `arena seed --demo`: fills a database with the planned demo battles (plan.ts) through the
 * arena's own repository (battles, turns, answers, votes as the battle service writes them) and the
 * model registry, then recomputes the ratings from the votes, so the standings are their projection.
 */

import type { Db } from '../../db/client.ts';
import { BattleRepo } from '../arena/repo.ts';
import type { ModelConfigInput } from '../models/config.ts';
import { ModelRegistry } from '../models/registry.ts';
import { ModelsRepo } from '../models/repo.ts';
import { builtInDemoModels } from '../providers/demo.ts';
import { type Categorizer, categorizer } from '../standings/categories.ts';
import { promptHash } from '../standings/prompt-hash.ts';
import { RatingsRepo } from '../standings/ratings-repo.ts';
import { VoteCategoriesRepo } from '../standings/vote-categories-repo.ts';
import { SEED_MODELS, type SeedModel } from './catalog.ts';
import { type PlannedBattle, planDemoBattles } from './plan.ts';
import type { SeedKind, SeedLanguage } from './prompts.ts';
import { contentRows } from './repo.ts';

export interface SeedOptions {
  seed: number;
  battles: number;
  days: number;
  /** End of the spread (epoch ms). */
  until: number;
  /** Seed a database that already holds battles, votes or evaluations (adds to them). */
  force: boolean;
  eloK: number;
  /** Prompts over this many tokens are filed under `long` (standings.longPromptTokens). */
  longPromptTokens?: number;
}

export interface SeedSummary {
  battles: number;
  votes: number;
  countedVotes: number;
  failed: number;
  abandoned: number;
  /** Distinct UTC days with battles. */
  days: number;
  languages: Partial<Record<SeedLanguage, number>>;
  kinds: Partial<Record<SeedKind, number>>;
  models: string[];
}

export class DatabaseNotEmptyError extends Error {}

/** Demo models as the server would add them; the sample ones switched off, like imported models. */
async function ensureModels(registry: ModelRegistry, models: readonly SeedModel[]): Promise<void> {
  const demoIds = new Set(builtInDemoModels().map((m) => m.id));
  const missingDemo = models.some((m) => demoIds.has(m.config.id) && !registry.get(m.config.id));
  const ownModels = registry.all().some((m) => registry.sourceOf(m.id) === 'config');
  // The server's own first start: only when no config-file models could be switched off by it.
  if (missingDemo && !ownModels) await registry.syncFromConfig(builtInDemoModels(), 'demo');
  for (const m of models) if (!registry.get(m.config.id)) await registry.add({ ...m.config, enabled: false } satisfies ModelConfigInput);
}

/** How a seeded vote is filed under categories: the live categorizer and the category index. */
interface Filing {
  categorize: Categorizer;
  index: VoteCategoriesRepo;
}

function writeBattle(repo: BattleRepo, clock: { now: number }, plan: PlannedBattle, filing: Filing): void {
  const [first] = plan.turns;
  clock.now = first!.at;
  repo.createBattle({ id: plan.id, modelA: plan.modelA, modelB: plan.modelB, voterId: plan.voterId, prompt: first!.prompt });
  let end = first!.at;
  plan.turns.forEach((t, i) => {
    if (i > 0) {
      clock.now = t.at;
      repo.addTurn(plan.id, i + 1, t.prompt);
    }
    for (const side of ['a', 'b'] as const) {
      const a = t[side];
      clock.now = t.at + Math.ceil(a.totalMs);
      end = Math.max(end, clock.now);
      repo.saveAnswer({ battleId: plan.id, turn: i + 1, side, ...a, tokensEstimated: false, reasoning: '', reasoningMs: null });
    }
  });
  clock.now = end;
  repo.setStatus(plan.id, plan.status === 'failed' ? 'failed' : 'ready');
  if (plan.status === 'abandoned') {
    // Not voted within the vote window (60 minutes by default).
    clock.now = end + 3_600_000;
    repo.setStatus(plan.id, 'abandoned');
  }
  if (plan.vote) {
    clock.now = plan.vote.at;
    const { winner, flags } = plan.vote;
    // Filed under its categories as a live vote is (the same categorizer, the same index).
    const categories = filing.categorize({ prompts: plan.turns.map((t) => t.prompt), answers: plan.turns.flatMap((t) => [t.a.content, t.b.content]) });
    const { rowId } = repo.insertVote({
      battleId: plan.id,
      voteId: null,
      voterId: plan.voterId,
      ip: null,
      winner,
      modelA: plan.modelA,
      modelB: plan.modelB,
      promptHash: promptHash(plan.turns.map((t) => t.prompt)),
      flags,
      categories,
    });
    filing.index.index('arena', rowId, categories);
  }
}

export async function seedDemo(db: Db, options: SeedOptions): Promise<SeedSummary> {
  const sqlite = db.$client;
  const existing = contentRows(sqlite);
  const existingRows = existing.battles + existing.votes + existing.evaluations;
  if (existingRows > 0 && !options.force) {
    throw new DatabaseNotEmptyError(
      `the database is not empty (${existing.battles} battles, ${existing.votes} votes, ${existing.evaluations} evaluations); use --force to add the demo to it`,
    );
  }
  const clock = { now: options.until };
  const registry = new ModelRegistry(new ModelsRepo(db, () => clock.now), {});
  const repo = new BattleRepo(db, () => clock.now);
  const filing: Filing = { categorize: categorizer({ longPromptTokens: options.longPromptTokens ?? 1000 }), index: new VoteCategoriesRepo(sqlite) };
  const summary: SeedSummary = {
    battles: 0,
    votes: 0,
    countedVotes: 0,
    failed: 0,
    abandoned: 0,
    days: 0,
    languages: {},
    kinds: {},
    models: SEED_MODELS.map((m) => m.config.id),
  };
  const days = new Set<string>();
  // The models first (the registry's writes are asynchronous), then every battle in one transaction.
  await ensureModels(registry, SEED_MODELS);
  sqlite.transaction(() => {
    // Seeding again on top of earlier data draws other battle ids.
    const seed = options.seed + existing.battles * 7919;
    for (const plan of planDemoBattles({ seed, battles: options.battles, days: options.days, until: options.until, models: SEED_MODELS })) {
      writeBattle(repo, clock, plan, filing);
      summary.battles++;
      if (plan.vote) summary.votes++;
      if (plan.status === 'failed') summary.failed++;
      if (plan.status === 'abandoned') summary.abandoned++;
      summary.languages[plan.language] = (summary.languages[plan.language] ?? 0) + 1;
      summary.kinds[plan.kind] = (summary.kinds[plan.kind] ?? 0) + 1;
      days.add(new Date(plan.turns[0]!.at).toISOString().slice(0, 10));
    }
    summary.countedVotes = new RatingsRepo(sqlite, () => options.until).recompute(options.eloK);
  })();
  summary.days = days.size;
  return summary;
}
