/**
 * Agreement between voters (pure), on items judged by two or more people. Judgements are first put
 * in the item's own orientation (model X vs model Y), since each voter saw the sides in their own
 * random order: categories are x (X better), y (Y better), tie and bothbad.
 *
 * - Percent agreement: over every pair of judgements on the same item, the share that match.
 * - Fleiss' kappa (any number of voters per item): with n_i judgements on item i and n_ik in
 *   category k, P_i = Σ_k n_ik(n_ik − 1) / (n_i(n_i − 1)); P̄ = mean of P_i over items;
 *   p_k = Σ_i n_ik / Σ_i n_i; P_e = Σ_k p_k²; κ = (P̄ − P_e) / (1 − P_e). With the same number of
 *   voters on every item this is exactly Fleiss (1971).
 * - Cohen's kappa for each pair of voters over the items both judged (at least two):
 *   p_o = share of shared items they agree on; p_e = Σ_k p_k(A)·p_k(B) from each voter's own
 *   category shares on those items; κ = (p_o − p_e) / (1 − p_e). Reported per pair and as the
 *   unweighted mean over pairs (Light's kappa). Undefined (null) when p_e = 1.
 */
import type { AgreementSummary } from '../../protocol/evaluations.ts';

export const AGREEMENT_CATEGORIES = ['x', 'y', 'tie', 'bothbad'] as const;
export type AgreementCategory = (typeof AGREEMENT_CATEGORIES)[number];

export interface Judgement {
  itemId: string;
  voter: string;
  category: AgreementCategory;
}

function kappa(observed: number, expected: number): number | null {
  return expected >= 1 - 1e-12 ? null : (observed - expected) / (1 - expected);
}

export function fleissKappa(items: ReadonlyArray<ReadonlyArray<AgreementCategory>>): { kappa: number | null; percent: number | null; expected: number | null } {
  const rated = items.filter((item) => item.length >= 2);
  if (rated.length === 0) return { kappa: null, percent: null, expected: null };
  const totals = new Map<AgreementCategory, number>();
  let judgements = 0;
  let meanP = 0;
  let agreeingPairs = 0;
  let pairs = 0;
  for (const item of rated) {
    const counts = new Map<AgreementCategory, number>();
    for (const c of item) counts.set(c, (counts.get(c) ?? 0) + 1);
    let same = 0;
    for (const [c, n] of counts) {
      same += n * (n - 1);
      totals.set(c, (totals.get(c) ?? 0) + n);
    }
    const n = item.length;
    meanP += same / (n * (n - 1));
    agreeingPairs += same / 2;
    pairs += (n * (n - 1)) / 2;
    judgements += n;
  }
  meanP /= rated.length;
  let expected = 0;
  for (const n of totals.values()) expected += (n / judgements) ** 2;
  return { kappa: kappa(meanP, expected), percent: agreeingPairs / pairs, expected };
}

export function cohenKappa(pairs: ReadonlyArray<readonly [AgreementCategory, AgreementCategory]>): number | null {
  if (pairs.length === 0) return null;
  const shareA = new Map<AgreementCategory, number>();
  const shareB = new Map<AgreementCategory, number>();
  let agree = 0;
  for (const [a, b] of pairs) {
    if (a === b) agree++;
    shareA.set(a, (shareA.get(a) ?? 0) + 1 / pairs.length);
    shareB.set(b, (shareB.get(b) ?? 0) + 1 / pairs.length);
  }
  let expected = 0;
  for (const [c, p] of shareA) expected += p * (shareB.get(c) ?? 0);
  return kappa(agree / pairs.length, expected);
}

export function summariseAgreement(judgements: readonly Judgement[]): AgreementSummary {
  const byItem = new Map<string, Map<string, AgreementCategory>>();
  for (const j of judgements) {
    const item = byItem.get(j.itemId) ?? new Map<string, AgreementCategory>();
    byItem.set(j.itemId, item);
    item.set(j.voter, j.category);
  }
  const multi = [...byItem.values()].filter((item) => item.size >= 2);
  const fleiss = fleissKappa(multi.map((item) => [...item.values()]));

  const voters = [...new Set(multi.flatMap((item) => [...item.keys()]))].sort();
  const pairs: AgreementSummary['pairs'] = [];
  for (let i = 0; i < voters.length; i++) {
    for (let j = i + 1; j < voters.length; j++) {
      const shared: Array<[AgreementCategory, AgreementCategory]> = [];
      for (const item of multi) {
        const a = item.get(voters[i]!);
        const b = item.get(voters[j]!);
        if (a && b) shared.push([a, b]);
      }
      if (shared.length < 2) continue;
      pairs.push({
        voterA: voters[i]!,
        voterB: voters[j]!,
        items: shared.length,
        agreement: shared.filter(([a, b]) => a === b).length / shared.length,
        kappa: cohenKappa(shared),
      });
    }
  }
  const kappas = pairs.map((p) => p.kappa).filter((k): k is number => k !== null);
  return {
    items: multi.length,
    percentAgreement: fleiss.percent,
    expectedAgreement: fleiss.expected,
    fleissKappa: fleiss.kappa,
    meanCohenKappa: kappas.length > 0 ? kappas.reduce((s, k) => s + k, 0) / kappas.length : null,
    pairs,
  };
}
