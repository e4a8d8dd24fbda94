/**
 * How far a judge model can be trusted, measured against the team's own voters (pure): agreement
 * with the human majority (percent with Wilson's interval, Cohen's κ with a bootstrap interval,
 * per category), position bias, self-preference, the judge's own leaderboard and its rank
 * correlation with the people's. "Both bad" counts as a tie here: judges have no such verdict.
 */
import type { JudgeCalibration, JudgeVerdict } from '../../../protocol/judges.ts';
import { type BattleResult, scoreOfA } from '../../ratings/outcomes.ts';
import { rankModels } from '../../ratings/summary.ts';
import { type AgreementCategory, cohenKappa } from '../agreement.ts';
import { byCategoryName } from '../results.ts';
import { bootstrapInterval, kendallTauB, spearman, wilsonInterval } from './statistics.ts';
import { choiceOf, choseFirstShown, combineOrders, type JudgeChoice, type JudgeOrder } from './verdict.ts';

export interface CalibrationItem {
  itemId: string;
  modelX: string;
  modelY: string;
  category: string | null;
}

export interface JudgmentFact {
  itemId: string;
  order: JudgeOrder;
  status: 'pending' | 'running' | 'done' | 'unparsed' | 'failed';
  verdict: JudgeVerdict | null;
}

export interface HumanJudgement {
  itemId: string;
  category: AgreementCategory;
}

export interface CalibrationOptions {
  judge: string;
  /** Candidates of the same family as the judge (the judge itself excluded). */
  family: ReadonlySet<string>;
  /** The people's ratings by model (their leaderboard). */
  humanRatings: ReadonlyMap<string, number>;
  modelName: (id: string) => string;
}

type Measured = Omit<JudgeCalibration, 'name' | 'status' | 'customPrompt' | 'failed' | 'spentUsd' | 'model'> & { failed: number };

/** The human majority per item over x, y and tie; no entry where the top choices are level. */
export function humanMajority(judgements: readonly HumanJudgement[]): Map<string, JudgeChoice> {
  const counts = new Map<string, Record<JudgeChoice, number>>();
  for (const j of judgements) {
    const c = counts.get(j.itemId) ?? { x: 0, y: 0, tie: 0 };
    c[j.category === 'bothbad' ? 'tie' : j.category]++;
    counts.set(j.itemId, c);
  }
  const out = new Map<string, JudgeChoice>();
  for (const [itemId, c] of counts) {
    const ranked = (['x', 'y', 'tie'] as const).map((k) => [k, c[k]] as const).sort((a, b) => b[1] - a[1]);
    if (ranked[0]![1] > ranked[1]![1]) out.set(itemId, ranked[0]![0]);
  }
  return out;
}

/** Each item's outcome (both orders parsed), and what kept the others from one. */
export function judgeOutcomes(facts: readonly JudgmentFact[]) {
  const byItem = new Map<string, Partial<Record<JudgeOrder, JudgmentFact>>>();
  for (const f of facts) byItem.set(f.itemId, { ...byItem.get(f.itemId), [f.order]: f });
  const outcomes = new Map<string, JudgeChoice>();
  const pairs: Array<{ xy: JudgeChoice; yx: JudgeChoice }> = [];
  let unparsed = 0;
  let failed = 0;
  let pending = 0;
  for (const [itemId, orders] of byItem) {
    const both = [orders.xy, orders.yx];
    if (both.some((o) => o?.status === 'unparsed')) unparsed++;
    else if (both.some((o) => o?.status === 'failed')) failed++;
    else if (both.some((o) => !o?.verdict)) pending++;
    else {
      const xy = choiceOf(orders.xy!.verdict!, 'xy');
      const yx = choiceOf(orders.yx!.verdict!, 'yx');
      pairs.push({ xy, yx });
      outcomes.set(itemId, combineOrders(xy, yx));
    }
  }
  return { outcomes, pairs, unparsed, failed, pending };
}

function agreementOf(pairs: ReadonlyArray<readonly [JudgeChoice, JudgeChoice]>) {
  const agree = pairs.filter(([a, b]) => a === b).length;
  return { items: pairs.length, agree, percent: pairs.length > 0 ? agree / pairs.length : null, kappa: cohenKappa(pairs) };
}

const scoreOf = (choice: JudgeChoice, model: string, item: CalibrationItem) => (choice === 'tie' ? 0.5 : (choice === 'x') === (item.modelX === model) ? 1 : 0);

export function calibrate(
  items: ReadonlyMap<string, CalibrationItem>,
  facts: readonly JudgmentFact[],
  humans: readonly HumanJudgement[],
  opts: CalibrationOptions,
): Measured {
  const { outcomes, pairs, unparsed, failed } = judgeOutcomes(facts);
  const majority = humanMajority(humans);

  // Agreement with the people, overall and per category.
  const shared = [...outcomes.entries()].filter(([itemId]) => majority.has(itemId) && items.has(itemId));
  const compared = shared.map(([itemId, judge]) => [judge, majority.get(itemId)!] as const);
  const overall = agreementOf(compared);
  const byCategory = new Map<string | null, Array<readonly [JudgeChoice, JudgeChoice]>>();
  for (const [itemId, judge] of shared) {
    const key = items.get(itemId)!.category;
    const list = byCategory.get(key) ?? [];
    list.push([judge, majority.get(itemId)!] as const);
    byCategory.set(key, list);
  }

  // Position bias: single-order verdicts that flip, and the lean towards the answer shown first.
  const decisive = facts.map((f) => (f.verdict ? choseFirstShown(f.verdict) : null)).filter((b): b is boolean => b !== null);
  const flips = pairs.filter((p) => p.xy !== p.yx).length;

  // Self-preference: the judge's score for itself (or its family) against the people's, on the same items.
  const candidates = new Set([...items.values()].flatMap((i) => [i.modelX, i.modelY]));
  const related = [...new Set([opts.judge, ...opts.family])].filter((m) => candidates.has(m));
  const selfPreference = related.map((model) => {
    const mine = shared.filter(([itemId]) => {
      const i = items.get(itemId)!;
      return i.modelX === model || i.modelY === model;
    });
    const mean = (score: (itemId: string, judge: JudgeChoice) => number) =>
      mine.length > 0 ? mine.reduce((s, [itemId, judge]) => s + score(itemId, judge), 0) / mine.length : null;
    const judgeScore = mean((itemId, judge) => scoreOf(judge, model, items.get(itemId)!));
    const humanScore = mean((itemId) => scoreOf(majority.get(itemId)!, model, items.get(itemId)!));
    return {
      model,
      relation: model === opts.judge ? ('self' as const) : ('family' as const),
      items: mine.length,
      judgeScore,
      humanScore,
      delta: judgeScore !== null && humanScore !== null ? judgeScore - humanScore : null,
    };
  });

  // The judge's own leaderboard, one battle per item with an outcome.
  const battles: BattleResult[] = [...outcomes.entries()]
    .filter(([itemId]) => items.has(itemId))
    .map(([itemId, choice]) => {
      const i = items.get(itemId)!;
      return { model_a: i.modelX, model_b: i.modelY, winner: choice === 'x' ? 'model_a' : choice === 'y' ? 'model_b' : 'tie' };
    });
  const board = battles.length > 0 ? rankModels(battles, { method: 'bt', bootstrap: 0 }) : null;
  const leaderboard = (board?.models ?? []).map((m) => ({
    model: m.model,
    name: opts.modelName(m.model),
    rating: Number.isFinite(m.rating) ? m.rating : null,
    separated: board?.separatedModels.includes(m.model) ?? false,
    rankUB: m.rankUB,
    battles: m.battles,
    wins: m.wins,
    losses: m.losses,
    ties: m.ties,
  }));
  const both = leaderboard.filter((r) => r.rating !== null && opts.humanRatings.has(r.model));
  const judgeRatings = both.map((r) => r.rating!);
  const humanRatings = both.map((r) => opts.humanRatings.get(r.model)!);

  return {
    items: outcomes.size,
    unparsed,
    failed,
    positionBias: {
      items: pairs.length,
      flips,
      rate: pairs.length > 0 ? flips / pairs.length : null,
      firstShownWins: decisive.length > 0 ? decisive.filter(Boolean).length / decisive.length : null,
    },
    agreementWithHumans: {
      items: overall.items,
      percent: overall.percent,
      percentCi: wilsonInterval(overall.agree, overall.items),
      kappa: overall.kappa,
      kappaCi: bootstrapInterval(compared, (sample) => cohenKappa(sample)),
      byCategory: [...byCategory.entries()]
        .sort(([a], [b]) => byCategoryName(a, b))
        .map(([category, list]) => {
          const a = agreementOf(list);
          return { category, items: a.items, percent: a.percent, kappa: a.kappa };
        }),
    },
    selfPreference,
    leaderboard,
    rankCorrelation: { models: both.length, spearman: spearman(judgeRatings, humanRatings), kendall: kendallTauB(judgeRatings, humanRatings) },
  };
}

/** Score of model X in a judge outcome (1, ½, 0), for mixing judges into the standings. */
export const xScore = (choice: JudgeChoice): number => scoreOfA(choice === 'x' ? 'model_a' : choice === 'y' ? 'model_b' : 'tie');
