/**
 * Contract for automatic judges of an evaluation and their calibration against the team's own
 * voters, gold items, prompt sets made from arena battles, edits and re-runs. Schemas are zod
 * (validated on the server); the client imports types and the default judging prompt.
 */
import { z } from 'zod';
import { categoryIdSchema } from './standings.ts';

const modelId = z.string().min(1).max(64);
const unique = (ids: string[]) => new Set(ids).size === ids.length;

/** The five verdicts of a judge, read from a `[[…]]` tag (Arena-Hard-Auto's scale). */
export const JUDGE_VERDICTS = ['A>>B', 'A>B', 'A=B', 'B>A', 'B>>A'] as const;
export type JudgeVerdict = (typeof JUDGE_VERDICTS)[number];

/**
 * The default judging instructions (the system message), in the style of Arena-Hard-Auto. The
 * conversation and both answers follow in the user message, in a fixed frame. A replacement must
 * still ask for one of the five `[[…]]` tags: anything else is recorded as unparsed.
 */
export const DEFAULT_JUDGE_PROMPT = `Please act as an impartial judge and evaluate the quality of the responses provided by two AI assistants to the user prompt displayed below. You will be given assistant A's answer and assistant B's answer. Your job is to evaluate which assistant's answer is better.

Begin your evaluation by generating your own answer to the prompt. You must provide your answer before judging any answers.

When evaluating the assistants' answers, compare both assistants' answers with your answer. You must identify and correct any mistakes or inaccurate information.

Then consider if the assistants' answers are helpful, relevant, and concise. Helpful means the answer correctly responds to the prompt or follows the instructions. Note when the user prompt has any ambiguity or more than one interpretation: it is more helpful and appropriate to ask for clarifications than to answer on assumptions. Relevant means all parts of the answer closely connect to what is being asked. Concise means the answer is clear and not verbose or excessive. When the prompt is written in a language, an answer in another language is less helpful.

Then consider the creativity and novelty of the answers when needed. Finally, identify any missing important information that would be beneficial to include when responding to the user prompt.

Do not let the order in which the answers are presented, their length, or the names of the assistants influence your evaluation.

After providing your explanation, you must output only one of the following choices as your final verdict with a label:

1. Assistant A is significantly better: [[A>>B]]
2. Assistant A is slightly better: [[A>B]]
3. Tie, relatively the same: [[A=B]]
4. Assistant B is slightly better: [[B>A]]
5. Assistant B is significantly better: [[B>>A]]

Example output: "My final verdict is tie: [[A=B]]".`;

export const JUDGE_LIMITS = { judges: 5, promptChars: 20_000, spendCapUsd: 100_000 } as const;

/** Body of POST /api/admin/evaluations/:id/judges. `dryRun` answers the estimate and starts nothing. */
export const judgeStartSchema = z.strictObject({
  models: z.array(modelId).min(1, 'pick at least one judge model').max(JUDGE_LIMITS.judges).refine(unique, 'each model only once'),
  prompt: z
    .string()
    .trim()
    .min(1)
    .max(JUDGE_LIMITS.promptChars)
    .refine((s) => /\[\[[^\]]*\]\]/.test(s), 'must ask for the verdict in a [[…]] tag, e.g. [[A>B]]')
    .optional(),
  /** Stop starting calls once this much is spent (per judge); the configured default when omitted. */
  spendCapUsd: z.number().positive().max(JUDGE_LIMITS.spendCapUsd).optional(),
  dryRun: z.boolean().default(false),
});
export type JudgeStartInput = z.input<typeof judgeStartSchema>;

export interface JudgeEstimate {
  /** Judge calls still to make: two per item (both orders), per judge. */
  calls: number;
  /** From the judges' pricing; null when a judge has none. */
  costUsd: number | null;
  perJudge: Array<{ model: string; calls: number; costUsd: number | null; capUsd: number }>;
}

/** `capped`: stopped at its spend cap, with calls left (start it again with a higher cap to go on). */
export type JudgeRunStatus = 'running' | 'done' | 'capped';

/** A judge's run as admins follow it (in the progress events admins receive). */
export interface JudgeProgress {
  model: string;
  name: string;
  status: JudgeRunStatus;
  calls: { total: number; done: number; pending: number; unparsed: number; failed: number };
  spentUsd: number;
  capUsd: number;
}

export interface Interval {
  lower: number;
  upper: number;
}

/** One judge, measured against the people: the results page's calibration panel. */
export interface JudgeCalibration {
  model: string;
  name: string;
  status: JudgeRunStatus;
  customPrompt: boolean;
  /** Items with an outcome (both orders parsed and combined). */
  items: number;
  /** Items left without an outcome because a verdict could not be parsed, even after retrying. */
  unparsed: number;
  /** Items left without an outcome because the judge's service failed, even after retrying. */
  failed: number;
  spentUsd: number;
  /** How often the verdict flips when the order of the answers is swapped. */
  positionBias: {
    /** Items with both orders parsed. */
    items: number;
    /** Of those, items whose two verdicts disagree (in model terms). */
    flips: number;
    rate: number | null;
    /** Share of decisive single-order verdicts that chose the answer shown first (0.5 = no lean). */
    firstShownWins: number | null;
  };
  /** Against the human majority on items people also judged ("both bad" counts as a tie). */
  agreementWithHumans: {
    items: number;
    percent: number | null;
    /** Wilson 95% interval of the percent. */
    percentCi: Interval | null;
    kappa: number | null;
    /** Percentile bootstrap 95% interval of κ over items (seeded, reproducible). */
    kappaCi: Interval | null;
    /** `category` null for items without one (the page words it). */
    byCategory: Array<{ category: string | null; items: number; percent: number | null; kappa: number | null }>;
  };
  /** For each candidate that is the judge itself or of its family: how much more the judge favours it than people do. */
  selfPreference: Array<{
    model: string;
    relation: 'self' | 'family';
    items: number;
    /** Score of that model on those items, wins + ties / 2, per item. */
    judgeScore: number | null;
    humanScore: number | null;
    delta: number | null;
  }>;
  /** The judge's own leaderboard (one battle per item with an outcome); `separated`: never lost (or never won), so its rating is no estimate. */
  leaderboard: Array<{
    model: string;
    name: string;
    rating: number | null;
    separated: boolean;
    rankUB: number;
    battles: number;
    wins: number;
    losses: number;
    ties: number;
  }>;
  /** Rank correlation between the judge's leaderboard and the people's, over models rated by both. */
  rankCorrelation: { models: number; spearman: number | null; kendall: number | null };
}

/** Gold items: each voter's accuracy on them, and who the threshold leaves out. */
export interface GoldSummary {
  items: number;
  /** Voters below this accuracy (with at least one gold item judged) are left out of the results. */
  minAccuracy: number | null;
  voters: Array<{ voter: string; judged: number; correct: number; accuracy: number | null; excluded: boolean }>;
}

/** Which past arena battles become prompts (POST /api/admin/evaluations with `prompts.format: "battles"`). */
export const battleFilterSchema = z.strictObject({
  /** Battle dates (UTC, inclusive). */
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  /** Battles in which one of these models answered. */
  models: z.array(modelId).max(50).optional(),
  /** A standings category id (e.g. `coding`, `lang:ko`): battles whose vote is filed under it. */
  category: categoryIdSchema.optional(),
  /** The most recent first, up to this many distinct prompts. */
  limit: z.number().int().min(1).max(10_000).default(500),
});
export type BattleFilter = z.input<typeof battleFilterSchema>;

/** GET /api/admin/battle-prompts: what a battles filter would import. */
export const battlePromptsQuerySchema = z.strictObject({
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  models: z.string().max(2_000).optional(),
  category: categoryIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(500),
});
export interface BattlePromptsQuery {
  from?: string;
  to?: string;
  /** Comma-separated model ids. */
  models?: string;
  category?: string;
  limit?: number;
}
export interface BattlePromptsPreview {
  /** Distinct prompts (first turns shown), most recent first. */
  prompts: Array<{ turns: string[]; battles: number; lastAt: string }>;
  /** Battles matching the filter. */
  battles: number;
  /** Battles whose prompt repeated one already taken. */
  duplicates: number;
}

/** Body of POST /api/admin/evaluations/:id/rerun: the same prompts, a new model against the old answers. */
export const rerunSchema = z.strictObject({
  model: modelId,
  /** Models of the evaluation to pair it with (their stored answers are reused); all by default. */
  against: z.array(modelId).min(1).max(20).refine(unique, 'each model only once').optional(),
  name: z.string().trim().min(1).max(120).optional(),
});
export type RerunInput = z.input<typeof rerunSchema>;

/** Body of eval:skip: the voter passes on the item in hand; it goes to someone else. */
export const evalSkipSchema = z.strictObject({ evaluationId: z.string().min(1).max(64), itemId: z.string().min(1).max(64) });
export type EvalSkipInput = z.infer<typeof evalSkipSchema>;
