/**
 * What a fit's caveats mean, in plain words and by model name (pure): the ratings engine's own
 * warnings name ids and solver terms; the standings say "Sage has never lost, so its rating has no
 * upper bound yet".
 */
import type { ViewFit } from './view-fit.ts';

/** "A", "A and B", "A, B and C". */
export function listOf(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

export function plainWarnings(fit: ViewFit, nameOf: (id: string) => string): string[] {
  const warnings: string[] = [];
  // Online Elo is finite whatever the results: these are Bradley-Terry's caveats. A model that
  // never lost (or never won) has no finite rating, whichever model the solver happened to flag.
  const bt = fit.method === 'bt' ? fit.models : [];
  const neverLost = bt.filter((m) => m.wins > 0 && m.losses + m.ties === 0);
  const neverWon = bt.filter((m) => m.losses > 0 && m.wins + m.ties === 0);
  const plain = new Set([...neverLost, ...neverWon]);
  const cornered = bt.filter((m) => m.separated && !plain.has(m));
  const say = (models: typeof bt, singular: string, plural: string) => {
    if (models.length > 0) warnings.push(`${listOf(models.map((m) => nameOf(m.id)))} ${models.length === 1 ? singular : plural}`);
  };
  if (fit.intervals?.prior) {
    // The prior keeps every rating finite: it is an estimate, pulled towards 1000 while the votes are few.
    say(
      [...neverLost, ...neverWon],
      'has never lost or never won, so its rating leans on the prior (a weak pull towards 1000) until it does.',
      'have never lost or never won, so their ratings lean on the prior (a weak pull towards 1000) until they do.',
    );
  } else {
    say(neverLost, 'has never lost, so its rating has no upper bound yet.', 'have never lost, so their ratings have no upper bound yet.');
    say(neverWon, 'has never won, so its rating has no lower bound yet.', 'have never won, so their ratings have no lower bound yet.');
    say(
      cornered,
      'has either won or lost every game against some of the others, so its rating is not an estimate yet.',
      'have either won or lost every game against some of the others, so their ratings are not estimates yet.',
    );
  }
  if (fit.style && fit.style.votesWithoutFeatures > 0) {
    warnings.push(
      `${fit.style.votesWithoutFeatures} votes have answers without style features (imported without their conversation) and are left out of the style-controlled ratings.`,
    );
  }
  if (fit.groups.length > 1) {
    const groups = fit.groups.map((g) => listOf(g.map(nameOf)));
    warnings.push(`Some models were never compared, not even through other models: ${groups.join('; ')}. Ratings compare only within each of these groups.`);
  }
  // Resamples of unbounded ratings fail too: that is said above already.
  if (fit.bootstrapFailures > 0 && fit.bootstrap && neverLost.length + neverWon.length + cornered.length === 0) {
    warnings.push(
      `${fit.bootstrapFailures} of the ${fit.bootstrap.rounds} resamples behind the intervals could not be fitted, so the intervals are rougher than they look.`,
    );
  }
  if (fit.solverStopped) warnings.push('The fit stopped before it fully settled, so the ratings may still move a little.');
  return warnings;
}
