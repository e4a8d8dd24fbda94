import { BradleyTerrySolver, type SolveResult } from './bt-solver.ts';
import type { BattleCounts } from './counts.ts';

export const RATING_SCALE = 400;
export const RATING_CENTER = 1000;

export interface RatingAnchor {
  model: string;
  rating: number;
}

export interface BradleyTerryOptions {
  /** Shift every rating so that this model gets this rating (identifiability is unchanged). */
  anchor?: RatingAnchor;
  /** Converged when ‖∂(log-likelihood / battles)/∂θ‖₂ is below this. */
  tolerance?: number;
  maxIterations?: number;
}

export interface BradleyTerryFit {
  readonly models: readonly string[];
  /** 400·θ + 1000, shifted by the anchor if one was given. */
  readonly ratings: Float64Array;
  /** log10 strengths; mean zero over the core of each connected component. */
  readonly theta: Float64Array;
  /** True only if the gradient criterion was met and the MLE exists (no separated models). */
  readonly converged: boolean;
  readonly iterations: number;
  readonly gradNorm: number;
  readonly componentCount: number;
  readonly componentOf: Int32Array;
  readonly separatedModels: readonly string[];
  /** Human-readable reasons whenever the numbers need a caveat. */
  readonly warnings: readonly string[];
}

/** Half-ties scoring table: score[i*m+j] = wins of i over j + ties between them / 2. */
export function scoreTable(counts: BattleCounts, out = new Float64Array(counts.wins.length)): Float64Array {
  for (let k = 0; k < out.length; k++) out[k] = counts.wins[k]! + 0.5 * counts.ties[k]!;
  return out;
}

export function fitBradleyTerry(counts: BattleCounts, options: BradleyTerryOptions = {}): BradleyTerryFit {
  const m = counts.models.length;
  const solver = new BradleyTerrySolver(m, options);
  const theta = new Float64Array(m);
  const result = solver.solve(scoreTable(counts), counts.battles, theta);
  const ratings = ratingsFromTheta(theta, counts.models, options.anchor);
  const { structure } = result;
  const separatedModels = structure.separated.map((i) => counts.models[i]!);
  return {
    models: counts.models,
    ratings,
    theta,
    converged: result.reachedTolerance && separatedModels.length === 0,
    iterations: result.iterations,
    gradNorm: result.gradNorm,
    componentCount: structure.componentCount,
    componentOf: structure.componentOf,
    separatedModels,
    warnings: fitWarnings(counts.models, result, separatedModels, solver.tolerance),
  };
}

export function ratingsFromTheta(theta: Float64Array, models: readonly string[], anchor?: RatingAnchor): Float64Array {
  const ratings = new Float64Array(theta.length);
  for (let i = 0; i < theta.length; i++) ratings[i] = RATING_SCALE * theta[i]! + RATING_CENTER;
  if (anchor) {
    const index = models.indexOf(anchor.model);
    if (index < 0) throw new RangeError(`anchor model "${anchor.model}" has no battles`);
    const shift = anchor.rating - ratings[index]!;
    for (let i = 0; i < ratings.length; i++) ratings[i]! += shift;
  }
  return ratings;
}

function fitWarnings(models: readonly string[], result: SolveResult, separated: string[], tolerance: number): string[] {
  const warnings: string[] = [];
  const { structure } = result;
  if (structure.componentCount > 1) {
    const groups: string[][] = Array.from({ length: structure.componentCount }, () => []);
    for (const [i, name] of models.entries()) groups[structure.componentOf[i]!]!.push(name);
    warnings.push(
      `the comparison graph has ${structure.componentCount} disconnected groups; ratings are centred on ` +
        `${RATING_CENTER} within each group and are not comparable across groups: ` +
        groups.map((g) => `[${g.join(', ')}]`).join(' '),
    );
  }
  if (separated.length > 0) {
    warnings.push(
      `no finite maximum-likelihood ratings: ${separated.join(', ')} ` +
        `${separated.length === 1 ? 'is' : 'are'} perfectly separated from the rest (e.g. never lost, or never won); ` +
        `the likelihood keeps growing as the gap widens, so these ratings show where the solver stopped, not estimates`,
    );
  }
  if (!result.reachedTolerance) {
    warnings.push(
      `the solver stopped after ${result.iterations} iterations with gradient norm ${result.gradNorm.toExponential(2)} ` +
        `(tolerance ${tolerance.toExponential(0)})`,
    );
  }
  return warnings;
}
