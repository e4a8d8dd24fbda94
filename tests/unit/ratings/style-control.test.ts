/** Style-controlled Bradley-Terry (server/ratings/style-control.ts): removing a planted length bias. */
import { describe, expect, it } from 'vitest';
import { robustRatings } from '../../../server/ratings/intervals.ts';
import { POINTS_PER_NAT } from '../../../server/ratings/pair-model.ts';
import { rowsFromVotes } from '../../../server/ratings/pair-rows.ts';
import { Xoshiro128 } from '../../../server/ratings/random.ts';
import { type StyleVote, styleControlledRatings, styleCovariates, styleDifference } from '../../../server/ratings/style-control.ts';
import type { StyleCounts } from '../../../server/ratings/style-features.ts';

/** Strength (natural log-odds) and typical answer length of each model: b and d are weaker but verbose. */
const MODELS = [
  { id: 'a', theta: 0.3, tokens: 200 },
  { id: 'b', theta: 0.1, tokens: 800 },
  { id: 'c', theta: 0, tokens: 400 },
  { id: 'd', theta: -0.1, tokens: 900 },
  { id: 'e', theta: -0.3, tokens: 150 },
];
/** Planted: log-odds per unit of (tokens_a − tokens_b)/(tokens_a + tokens_b + 1). */
const LENGTH_EFFECT = 1.5;

function simulate(votes: number, seed: number): StyleVote[] {
  const random = new Xoshiro128(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random.nextFloat())) * Math.cos(2 * Math.PI * random.nextFloat());
  const style = (tokens: number): StyleCounts => ({
    tokens: Math.round(tokens * Math.exp(0.3 * normal())),
    headers: Math.floor(random.nextFloat() * 4),
    listItems: Math.floor(random.nextFloat() * 6),
    bold: Math.floor(random.nextFloat() * 5),
  });
  return Array.from({ length: votes }, () => {
    const i = Math.floor(random.nextFloat() * MODELS.length);
    const j = (i + 1 + Math.floor(random.nextFloat() * (MODELS.length - 1))) % MODELS.length;
    const [a, b] = [MODELS[i]!, MODELS[j]!];
    const style_a = style(a.tokens);
    const style_b = style(b.tokens);
    const logit = a.theta - b.theta + LENGTH_EFFECT * styleDifference(style_a.tokens, style_b.tokens);
    const winner = random.nextFloat() < 1 / (1 + Math.exp(-logit)) ? ('model_a' as const) : ('model_b' as const);
    return { model_a: a.id, model_b: b.id, winner, style_a, style_b };
  });
}

const meanTheta = MODELS.reduce((s, m) => s + m.theta, 0) / MODELS.length;
const truth = (id: string) => POINTS_PER_NAT * (MODELS.find((m) => m.id === id)!.theta - meanTheta) + 1000;

describe('styleControlledRatings', () => {
  const votes = simulate(12_000, 42);
  const styled = styleControlledRatings(votes);
  const plain = robustRatings(rowsFromVotes(votes));

  it('recovers the planted length effect and finds none in the other features', () => {
    expect(styled.fit.converged).toBe(true);
    const tokens = styled.coefficients.find((c) => c.feature === 'tokens')!;
    // The fitted coefficient is per standard deviation of the covariate.
    expect(Math.abs(tokens.estimate - LENGTH_EFFECT * tokens.sd)).toBeLessThan(3 * tokens.se);
    expect(tokens.lower).toBeGreaterThan(0);
    for (const other of styled.coefficients.filter((c) => c.feature !== 'tokens')) {
      expect(Math.abs(other.estimate)).toBeLessThan(3.5 * other.se);
    }
    expect(styled.coefficients.map((c) => c.feature)).toEqual(['tokens', 'headers', 'listItems', 'bold']);
  });

  it('removes the bias from the ratings, where the plain fit rewards the verbose models', () => {
    styled.models.forEach((id, i) => {
      const rating = styled.ratings[i]!;
      expect(Math.abs(rating.estimate - truth(id))).toBeLessThan(3.5 * rating.se);
    });
    const plainError = (id: string) => plain.ratings[plain.models.indexOf(id)]! - truth(id);
    const styledError = (id: string) => styled.ratings[styled.models.indexOf(id)]!.estimate - truth(id);
    // d is weaker than c but writes twice as much: the plain fit ranks it above c, the styled one below.
    expect(plainError('d')).toBeGreaterThan(40);
    expect(Math.abs(styledError('d'))).toBeLessThan(plainError('d') / 3);
    expect(plainError('e')).toBeLessThan(-40);
    const rank = (ratings: ArrayLike<number>, models: readonly string[]) =>
      models
        .map((_, i) => i)
        .sort((x, y) => ratings[y]! - ratings[x]!)
        .map((i) => models[i]);
    expect(
      rank(
        Float64Array.from(styled.ratings, (r) => r.estimate),
        styled.models,
      ),
    ).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(rank(plain.ratings, plain.models).indexOf('d')).toBeLessThan(rank(plain.ratings, plain.models).indexOf('c'));
  });

  it('standardizes each covariate over the data set and leaves out a constant one', () => {
    const { kept, matrix } = styleCovariates(votes);
    const f = kept.length;
    for (let k = 0; k < f; k++) {
      let mean = 0;
      let square = 0;
      for (let v = 0; v < votes.length; v++) {
        mean += matrix[v * f + k]!;
        square += matrix[v * f + k]! ** 2;
      }
      expect(mean / votes.length).toBeCloseTo(0, 10);
      expect(square / votes.length).toBeCloseTo(1, 10);
    }
    const flat = votes.slice(0, 500).map((v) => ({ ...v, style_a: { ...v.style_a, headers: 2 }, style_b: { ...v.style_b, headers: 2 } }));
    const result = styleControlledRatings(flat, { priorSd: 400 });
    expect(result.coefficients.map((c) => c.feature)).not.toContain('headers');
    expect(result.warnings.join(' ')).toMatch(/constant in these votes: headers/);
  });
});
