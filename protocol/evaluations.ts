/**
 * Contract for team evaluations: HTTP bodies and socket payloads (zod, validated on the server)
 * and the shapes the client renders. The client imports only types from here.
 */
import { z } from 'zod';
import { battleFilterSchema, type GoldSummary, type JudgeCalibration, type JudgeProgress, type JudgeVerdict } from './judges.ts';
import { INTERVAL_METHODS, type IntervalsUsed, WINNERS } from './types.ts';

export const PROMPT_FORMATS = ['jsonl', 'csv', 'text'] as const;
export type PromptFormat = (typeof PROMPT_FORMATS)[number];
export const EVAL_LIMITS = { promptFileChars: 8 * 1024 * 1024, reasonChars: 500, models: 20, votesPerItem: 50, items: 100_000 } as const;

const evaluationId = z.string().min(1).max(64);
const modelId = z.string().min(1).max(64);

/** A prompt file (JSONL, CSV, pasted text), or past arena battles (`format: "battles"`, see protocol/judges.ts). */
export const promptSourceSchema = z.discriminatedUnion('format', [
  z.strictObject({ format: z.enum(PROMPT_FORMATS), content: z.string().max(EVAL_LIMITS.promptFileChars) }),
  z.strictObject({ format: z.literal('battles'), filter: battleFilterSchema }),
]);
export type PromptSource = z.input<typeof promptSourceSchema>;
const modelList = z
  .array(modelId)
  .min(2, 'pick at least two models')
  .max(EVAL_LIMITS.models)
  .refine((ids) => new Set(ids).size === ids.length, 'each model only once');

export const evaluationCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(120),
  description: z.string().max(2_000).default(''),
  models: modelList,
  votesPerItem: z.number().int().min(1).max(EVAL_LIMITS.votesPerItem).default(3),
  systemPrompt: z.string().max(20_000).optional(),
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.number().int().positive().max(1_000_000).optional(),
  countInPublicLeaderboard: z.boolean().default(false),
  prompts: promptSourceSchema,
});
/**
 * Body of PATCH /api/admin/evaluations/:id: only the fields sent change. A draft takes every field;
 * once started only `name`, `description`, `minGoldAccuracy` and `judgesInStandings` (the others
 * answer `conflict` naming the field).
 */
export const evaluationEditSchema = z.strictObject({
  name: z.string().trim().min(1).max(120).optional(),
  description: z.string().max(2_000).optional(),
  models: modelList.optional(),
  votesPerItem: z.number().int().min(1).max(EVAL_LIMITS.votesPerItem).optional(),
  systemPrompt: z.string().max(20_000).nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  maxTokens: z.number().int().positive().max(1_000_000).nullable().optional(),
  countInPublicLeaderboard: z.boolean().optional(),
  prompts: promptSourceSchema.optional(),
  /** Leave voters whose gold accuracy is below this out of the results; null keeps everyone. */
  minGoldAccuracy: z.number().min(0).max(1).nullable().optional(),
  /** Count the judges' outcomes in the evaluation's leaderboard beside the people's (off by default). */
  judgesInStandings: z.boolean().optional(),
});
export type EvaluationEditInput = z.input<typeof evaluationEditSchema>;
export const EDITABLE_WHEN_STARTED = ['name', 'description', 'minGoldAccuracy', 'judgesInStandings'] as const;

export const evaluationIdParamSchema = z.strictObject({ id: evaluationId });
export const exportQuerySchema = z.strictObject({ identities: z.enum(['0', '1']).optional(), judges: z.enum(['0', '1']).optional() });
export const evalItemParamsSchema = z.strictObject({ id: evaluationId, itemId: z.string().min(1).max(64) });
/** Which items the review lists: those with votes (default), those with a reason, those a judge model judged, or all. */
export const EVAL_ITEM_FILTERS = ['voted', 'reasons', 'judged', 'all'] as const;
export const evalItemsQuerySchema = z.strictObject({
  only: z.enum(EVAL_ITEM_FILTERS).default('voted'),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type EvalItemFilter = (typeof EVAL_ITEM_FILTERS)[number];
/** Query of GET /api/admin/evaluations/:id/items, as a caller gives it (the URL carries it as text). */
export interface EvalItemsQuery {
  only?: EvalItemFilter;
  offset?: number;
  limit?: number;
}
/** Query of the exports: `identities=1` names the voters (an audited choice); `judges=1` adds judge models' outcomes, marked `judge_kind: "model"`. */
export type ExportQuery = z.infer<typeof exportQuerySchema>;

export const evalSubscribeSchema = z.strictObject({ evaluationId });
export const evalNextSchema = z.strictObject({ evaluationId });
export const evalVoteSchema = z.strictObject({
  evaluationId,
  itemId: z.string().min(1).max(64),
  winner: z.enum(WINNERS),
  reason: z.string().max(EVAL_LIMITS.reasonChars, `must be at most ${EVAL_LIMITS.reasonChars} characters`).optional(),
  voteId: z.string().min(8).max(64).optional(),
});

export type EvaluationCreateInput = z.input<typeof evaluationCreateSchema>;
export type EvalSubscribeInput = z.infer<typeof evalSubscribeSchema>;
export type EvalNextInput = z.infer<typeof evalNextSchema>;
export type EvalVoteInput = z.infer<typeof evalVoteSchema>;

export interface ImportProblem {
  /** Line of the file, from 1; 0 for the file as a whole. */
  line: number;
  message: string;
}

export type EvaluationStatus = 'draft' | 'running' | 'closed';

/** Counts only: safe to send to voters. */
export interface EvalProgress {
  evaluationId: string;
  status: EvaluationStatus;
  generation: { total: number; done: number; failed: number; pending: number };
  items: { total: number; ready: number; complete: number };
  votes: { cast: number; wanted: number };
  /**
   * Every item has all the votes it wants: nothing is left to judge and the results are final
   * (unless the admin reopens or retries). The status stays as it is until the admin closes it.
   */
  allVotesIn: boolean;
  /** Admins only (never sent to voters): each judge model's run. */
  judges?: JudgeProgress[];
}

export interface EvaluationSummary {
  id: string;
  name: string;
  description: string;
  status: EvaluationStatus;
  models: Array<{ id: string; name: string }>;
  prompts: number;
  votesPerItem: number;
  countInPublicLeaderboard: boolean;
  createdAt: string;
  progress: EvalProgress;
}

export interface EvaluationDetail extends EvaluationSummary {
  systemPrompt: string | null;
  temperature: number | null;
  maxTokens: number | null;
  categories: string[];
  /** Gold items (known verdicts) mixed into voters' queues; not in `prompts`. */
  goldItems: number;
  minGoldAccuracy: number | null;
  judgesInStandings: boolean;
  /** The evaluation this one re-runs (same prompts, a new model against stored answers). */
  baseEvaluationId: string | null;
  failures: Array<{ promptId: number; questionId: string; modelId: string; attempts: number; error: string }>;
}

/** Running evaluations as a voter sees them. */
export interface VoterEvaluation {
  id: string;
  name: string;
  description: string;
  myVotes: number;
  progress: EvalProgress;
}

/** One judgement task: the same prompt, two stored answers, sides as this voter sees them. */
export interface EvalItem {
  evaluationId: string;
  itemId: string;
  category: string | null;
  turns: Array<{ prompt: string; a: string; b: string }>;
}

export interface VoterProgress {
  /** Votes this voter has cast in the evaluation. */
  done: number;
  /** Items still open to this voter (not judged by them, still needing votes). */
  remaining: number;
}

export interface EvalLeaderboardRow {
  model: string;
  name: string;
  /** Bradley-Terry rating (400·log10 scale, centred on 1000); null with no votes. */
  rating: number | null;
  ci: { lower: number | null; upper: number | null } | null;
  rankUB: number;
  elo: number | null;
  battles: number;
  wins: number;
  losses: number;
  ties: number;
}

export interface AgreementSummary {
  /** Items with at least two judgements. */
  items: number;
  /** Share of pairs of judgements on the same item that agree. */
  percentAgreement: number | null;
  /** The agreement expected by chance from how often each choice was made (Fleiss' P_e); κ discounts it. */
  expectedAgreement: number | null;
  fleissKappa: number | null;
  /** Mean of Cohen's kappa over every pair of voters who share at least two items. */
  meanCohenKappa: number | null;
  pairs: Array<{ voterA: string; voterB: string; items: number; agreement: number; kappa: number | null }>;
}

/** Query of `GET /api/admin/evaluations/:id/results`: the interval method (default from config, `evaluations.intervals`). */
export const evaluationResultsQuerySchema = z.strictObject({
  ci: z.enum(INTERVAL_METHODS).optional(),
  clustered: z.enum(['0', '1']).optional(),
});
export type EvaluationResultsQuery = z.input<typeof evaluationResultsQuerySchema>;

export interface EvaluationResults {
  evaluationId: string;
  votes: number;
  /**
   * `intervals`: the method and prior behind `ci` and `rankUB` (by default model-based with a weak
   * prior, which keeps every interval finite at a few dozen votes); `bootstrapRounds` is 0 unless
   * `intervals.method` is `bootstrap`.
   */
  leaderboard: { models: EvalLeaderboardRow[]; warnings: string[]; bootstrapRounds: number; intervals: IntervalsUsed };
  /** winRate[i][j]: share of decisive votes row model won against column model. */
  winRates: { models: string[]; values: Array<Array<number | null>>; counts: Array<Array<number | null>> };
  /** By the items' category; `category` null for items without one (the page words it). */
  categories: Array<{
    category: string | null;
    votes: number;
    models: Array<{ model: string; wins: number; losses: number; ties: number; winRate: number | null }>;
  }>;
  agreement: AgreementSummary;
  voters: Array<{ voter: string; votes: number; lastVoteAt: string | null }>;
  /** Each judge model, measured against the people. */
  judges: JudgeCalibration[];
  gold: GoldSummary;
  /** True when the judges' outcomes are counted in `leaderboard`, `winRates` and `categories` (the admin asked for it). */
  judgesInStandings: boolean;
  progress: EvalProgress;
}

/** A judgement in the item's own orientation: x = its first model better, y = its second. */
export type EvalChoice = 'x' | 'y' | 'tie' | 'bothbad';

/** One item for the admin's review: who judged it how, and why. */
export interface EvalItemReview {
  itemId: string;
  questionId: string;
  category: string | null;
  /** The first user turn. */
  prompt: string;
  turns: number;
  models: { x: { id: string; name: string }; y: { id: string; name: string } };
  votesWanted: number;
  /** Oldest first; `voter` is the email of a signed-in voter. */
  votes: Array<{ voter: string; choice: EvalChoice; reason: string | null; at: string }>;
  /** Voters who passed on it. */
  skips: number;
  /** For a gold item: the verdict it requires (x, y are its answers "A" and "B" of the file). */
  gold: { verdict: EvalChoice } | null;
  /** Every judge model's verdicts on it, both orders, with the judge's own explanation. */
  judgments: EvalItemJudgment[];
}

export interface EvalItemJudgment {
  judge: { id: string; name: string };
  /** The two orders combined (disagreement = tie); null without both verdicts. */
  outcome: 'x' | 'y' | 'tie' | null;
  orders: Array<{
    /** Which model's answer was shown first, as "A". */
    shownFirst: 'x' | 'y';
    status: 'pending' | 'done' | 'unparsed' | 'failed';
    verdict: JudgeVerdict | null;
    /** The judge's text (its explanation); model output, render it sanitized. */
    reason: string | null;
  }>;
}

export interface EvalItemReviewPage {
  /** Items matching the filter, over all pages. */
  total: number;
  offset: number;
  items: EvalItemReview[];
}

/** Both stored answers of an item, turn by turn, by model (x, y as in EvalItemReview). */
export interface EvalItemAnswers {
  itemId: string;
  turns: Array<{ prompt: string; x: string; y: string }>;
}
