/**
 * The standings people come back for: views by category, votes and dates; per-model profiles;
 * battle history; published snapshots. Types and schemas only (server and page both import them).
 */
import { z } from 'zod';
import {
  type AnswerView,
  type BattleMode,
  type BtLeaderboard,
  type BtLeaderboardEntry,
  type ConfidenceInterval,
  INTERVAL_METHODS,
  type IntervalsUsed,
  type ModelSpeed,
  type PublicModel,
  type RevealedModels,
  type Winner,
} from './types.ts';

/**
 * Categories a vote is filed under, computed when it is recorded (server/standings/categories.ts):
 * `lang:ko`, `lang:en`, `lang:zh`, `lang:ja`, `lang:other`, `coding`, `math`, `long`, `multi_turn`,
 * `evaluation`, and `tag:<name>` for categories imported from FastChat files. `all` is every vote.
 */
export const BUILT_IN_CATEGORIES = [
  'all',
  'lang:ko',
  'lang:en',
  'lang:zh',
  'lang:ja',
  'lang:other',
  'coding',
  'math',
  'long',
  'multi_turn',
  'evaluation',
] as const;
export type CategoryId = (typeof BUILT_IN_CATEGORIES)[number] | `tag:${string}`;

export const categoryIdSchema = z
  .string()
  .max(80)
  // Tags come from data (FastChat files, evaluation prompt sets) and may be Korean: any letter or digit.
  .regex(
    /^(all|lang:(ko|en|zh|ja|other)|coding|math|long|multi_turn|evaluation|tag:[\p{L}\p{N}_ .:/+-]{1,64})$/u,
    'must be a category id such as coding or lang:ko',
  );
const isoDate = z.iso.date();

/**
 * A view of the standings. `votes`: `blind` counts only votes cast without knowing the models and
 * kept by the integrity rules (the public standings); `all` adds flagged and named votes.
 * `from`/`to`: vote dates (UTC, inclusive). `minVotes`: models with fewer votes in the view are
 * listed apart as provisional (default from config, `standings.minVotes`). `styleControl=1`: the
 * Bradley-Terry ratings with the style effect (length, headers, lists, bold) removed (`method=bt`
 * only).
 */
export const standingsViewSchema = z.strictObject({
  method: z.enum(['elo', 'bt']).default('elo'),
  category: categoryIdSchema.default('all'),
  votes: z.enum(['blind', 'all']).default('blind'),
  from: isoDate.optional(),
  to: isoDate.optional(),
  minVotes: z.coerce.number().int().min(0).max(1_000_000).optional(),
  deprecated: z.enum(['0', '1']).default('0'),
  styleControl: z.enum(['0', '1']).default('0'),
});
export type StandingsViewInput = z.input<typeof standingsViewSchema>;
export type StandingsView = z.output<typeof standingsViewSchema>;

/**
 * What `GET /api/standings` and `standings:subscribe` take: a view, and optionally how its
 * intervals are computed (`ci`, `clustered`; defaults from config). The standings echo the view
 * alone and say in `intervals` which method and prior they used.
 */
export const standingsQuerySchema = standingsViewSchema.extend({
  ci: z.enum(INTERVAL_METHODS).optional(),
  clustered: z.enum(['0', '1']).optional(),
});
export type StandingsQueryInput = z.input<typeof standingsQuerySchema>;
export type StandingsQuery = z.output<typeof standingsQuerySchema>;

/** A model's row in any standings view. */
export interface StandingsEntry extends BtLeaderboardEntry {
  organization: string | null;
  license: string | null;
  deprecated: boolean;
  /** (wins + ties / 2) / battles in this view. */
  winRate: number | null;
  /** Cost of 1,000 answers at the model's mean cost per answer; null without pricing. */
  costPer1kAnswersUsd: number | null;
  /**
   * Places gained (+) or lost (−) since the previous fit of the same view; null when new among the
   * rated models since then; 0 in the view's first fit (nothing to compare with).
   */
  rankChange: number | null;
}

/**
 * A caveat of a fit, by code and model ids, for a page to word in its language (`warnings` holds
 * the same in English): models that never lost or never won (no finite rating), models cornered
 * by all-win or all-loss records, groups never compared, resamples that could not be fitted, a
 * solver that stopped early.
 */
export type StandingsNote =
  | { code: 'never_lost' | 'never_won' | 'cornered' | 'leans_on_prior'; models: string[] }
  | { code: 'without_style_features'; votes: number }
  | { code: 'disconnected'; groups: string[][] }
  | { code: 'bootstrap_failures'; failures: number; rounds: number }
  | { code: 'solver_stopped' };
/** The style features LMArena's style control uses, per answer (docs/RATINGS.md, "Style control"). */
export const STYLE_FEATURES = ['tokens', 'headers', 'listItems', 'bold'] as const;
export type StyleFeatureName = (typeof STYLE_FEATURES)[number];

/** One fitted style coefficient: log-odds of winning per standard deviation of the feature's covariate, with its 95% interval. */
export interface StyleCoefficient {
  feature: StyleFeatureName;
  estimate: number;
  lower: number;
  upper: number;
  /** Mean and standard deviation of the raw covariate (a − b)/(a + b + 1) over the view's votes, used to standardize it. */
  mean: number;
  sd: number;
}

/** What a style-controlled view fitted besides the ratings. */
export interface StyleControlSummary {
  /** Features constant in the view's votes are left out. */
  coefficients: StyleCoefficient[];
  /** Votes of the view left out because an answer has no style features (imported without its conversation). */
  votesWithoutFeatures: number;
}

/** The standings of one view: rated models (enough votes) and provisional ones apart, never ranked among them. */
export interface Standings extends Omit<BtLeaderboard, 'models' | 'method' | 'intervals'> {
  method: 'elo' | 'bt';
  /** The fit's caveats as codes (`warnings`: the same in English words). */
  notes: StandingsNote[];
  /** The interval method and prior; null for an Elo view (no intervals). */
  intervals: IntervalsUsed | null;
  /** Style control's coefficients when the view asked for it (`styleControl=1`), else null. */
  style: StyleControlSummary | null;
  view: StandingsView;
  /** The vote threshold this view used. */
  minVotes: number;
  models: StandingsEntry[];
  provisional: StandingsEntry[];
  /** pairs.observed[i][j]: the share of battles models[i] won against models[j] (ties half), null without battles. */
  pairs: BtLeaderboard['pairs'] & { observed: Array<Array<number | null>> };
  /** Between adjacent rated `models` as listed (deprecated ones hidden unless shown, provisional ones apart); empty for Elo. */
  neighbours: BtLeaderboard['neighbours'];
  /** Models no other model beats on both rating and the other axis (lower cost, more tokens/s, lower time to first token). */
  fronts: { cost: string[]; tokensPerSecond: string[]; ttft: string[] };
}

export interface CategorySummary {
  id: CategoryId;
  /** Counted votes filed under it (in the blind view). */
  votes: number;
}

export interface RatingHistoryPoint {
  /** ISO day (UTC) the point closes. */
  day: string;
  /** Online Elo per model id after that day's votes. */
  elo: Record<string, number>;
  /** Rank per model id by that Elo. */
  rank: Record<string, number>;
  /** Votes cast that day. */
  votes: number;
}

/** `GET /api/models/:id/profile`: everything the model page shows. */
export interface ModelProfile {
  model: PublicModel & { deprecated: boolean };
  /** Its row in the default view, or null before its first vote. */
  standing: StandingsEntry | null;
  history: Array<{ day: string; elo: number; rank: number }>;
  opponents: Array<{ id: string; name: string; battles: number; wins: number; losses: number; ties: number; winRate: number | null }>;
  categories: Array<{ category: CategoryId; rating: number | null; ci: ConfidenceInterval | null; votes: number; provisional: boolean }>;
  speed: ModelSpeed | null;
  /** Quantiles (0, 10, 25, 50, 75, 90, 100 %) of its recent answers, for distribution charts. */
  distributions: { latencyMs: number[]; tokensPerSecond: number[]; costUsd: number[] };
  /** Recent battles the asker may see (their own; admins all). */
  recentBattles: BattleSummary[];
}

/** One past battle in a list. Models are named only once the battle is voted. */
export interface BattleSummary {
  id: string;
  createdAt: string;
  status: 'streaming' | 'ready' | 'failed' | 'voted' | 'abandoned';
  /** `named`: the voter chose the models and saw their names (the list still names them only once voted). */
  mode: BattleMode;
  /** The first prompt, cut to 300 characters. */
  prompt: string;
  turns: number;
  models: RevealedModels | null;
  winner: Winner | null;
  categories: CategoryId[];
}

export const battleHistoryQuerySchema = z.strictObject({
  q: z.string().max(200).optional(),
  model: z.string().max(64).optional(),
  category: categoryIdSchema.optional(),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
export type BattleHistoryQuery = z.input<typeof battleHistoryQuerySchema>;

/** `GET /api/battles/:id`: a battle's permanent page, both conversations. */
export interface BattleDetail extends BattleSummary {
  conversation: Array<{ turn: number; prompt: string; a: AnswerView; b: AnswerView }>;
}

export const snapshotCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  view: standingsViewSchema.partial().default({}),
});
export type SnapshotCreateInput = z.input<typeof snapshotCreateSchema>;

/**
 * A published, reproducible snapshot of the standings: the view, the method and seed, the
 * software version and a hash of the exact votes used, with the standings as published.
 * `npx arena ratings --verify SNAPSHOT.json --battles EXPORT.jsonl` recomputes it.
 */
export interface Snapshot {
  id: string;
  name: string;
  createdAt: string;
  /** The account id of the admin who published it (for the audit trail; pages show no name for it). */
  createdBy: string | null;
  view: StandingsView;
  softwareVersion: string;
  /** SHA-256 over the votes used, in order (see docs/RATINGS.md for the exact canonical form). */
  votesHash: string;
  votes: number;
  bootstrap: { rounds: number; seed: number } | null;
  /** The online Elo step (`elo.k`) the `elo` column (and an `elo` view's ratings) were computed with. */
  eloK: number;
  /** Only numbers the votes decide: no speed, cost or fronts (an export carries no timings). */
  standings: Standings;
}

/** Body of `PATCH /api/admin/models/:id/deprecated`. */
export const modelDeprecatedSchema = z.strictObject({ deprecated: z.boolean() });

type Ok<T extends object = object> = { ok: true } & T;

/**
 * The routes of the standings (server/standings): added to `HttpRoutes` in protocol/http.ts when
 * they are registered, so the route contract test lists them.
 */
export interface StandingsRoutes {
  'GET /api/standings': { query: StandingsQueryInput; response: Ok<{ standings: Standings }> };
  'GET /api/standings/categories': { query: Pick<StandingsViewInput, 'votes'>; response: Ok<{ categories: CategorySummary[] }> };
  'GET /api/standings/history': { query: Pick<StandingsViewInput, 'category' | 'votes'>; response: Ok<{ points: RatingHistoryPoint[] }> };
  'PATCH /api/admin/models/:id/deprecated': { params: { id: string }; body: { deprecated: boolean }; response: Ok<{ deprecated: boolean }> };
}

/** The routes of model pages, battle history and snapshots. */
export interface HistoryRoutes {
  'GET /api/models/:id/profile': { params: { id: string }; response: Ok<{ profile: ModelProfile }> };
  'GET /api/battles': { query: BattleHistoryQuery; response: Ok<{ battles: BattleSummary[]; total: number }> };
  'GET /api/battles/:id': { params: { id: string }; response: Ok<{ battle: BattleDetail }> };
  'GET /api/admin/snapshots': { response: Ok<{ snapshots: Array<Omit<Snapshot, 'standings'>> }> };
  'POST /api/admin/snapshots': { body: SnapshotCreateInput; response: Ok<{ snapshot: Snapshot }> };
  'GET /api/snapshots/:id': { params: { id: string }; response: Ok<{ snapshot: Snapshot }> };
}

/** Socket events of live views: subscribe with a view, get it now and on every change. */
export interface StandingsSocket {
  requests: { 'standings:subscribe': { view: StandingsQueryInput }; 'standings:unsubscribe': Record<string, never> };
  acks: { 'standings:subscribe': { standings: Standings }; 'standings:unsubscribe': Record<never, never> };
  pushes: { 'standings:update': (payload: { standings: Standings }) => void };
}
