/** Battles drawn from known Bradley-Terry strengths, for recovery and coverage tests. */
import { type BattleColumns, BattleColumnsBuilder } from '../../../server/ratings/counts.ts';
import { OUTCOME_CODE } from '../../../server/ratings/outcomes.ts';
import { Xoshiro128 } from '../../../server/ratings/random.ts';

/** True ratings on the fitted scale: 400·θ + 1000 with θ centred. */
export function centredRatings(theta: readonly number[]): number[] {
  const mean = theta.reduce((a, b) => a + b, 0) / theta.length;
  return theta.map((t) => 400 * (t - mean) + 1000);
}

/** Uniformly drawn pairs, random sides, no ties; P(i beats j) = 1/(1+10^(θj−θi)). */
export function simulateBattles(theta: readonly number[], battles: number, seed: number): BattleColumns {
  const random = new Xoshiro128(seed);
  const m = theta.length;
  const builder = new BattleColumnsBuilder();
  theta.forEach((_, i) => builder.idOf(`model-${i}`));
  for (let k = 0; k < battles; k++) {
    const a = Math.floor(random.nextFloat() * m);
    let b = Math.floor(random.nextFloat() * (m - 1));
    if (b >= a) b++;
    const pA = 1 / (1 + 10 ** (theta[b]! - theta[a]!));
    builder.addIds(a, b, random.nextFloat() < pA ? OUTCOME_CODE.model_a : OUTCOME_CODE.model_b);
  }
  return builder.build();
}
