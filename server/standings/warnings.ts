/**
 * What a fit's caveats mean (pure): as codes naming models (`notes`, for pages to word in their
 * language) and in plain English by model name (`warnings`, for API clients): the ratings engine's
 * own warnings name ids and solver terms; the standings say "Sage has never lost, so its rating has
 * no upper bound yet".
 */
import type { StandingsNote } from '../../protocol/standings.ts';
import type { ViewFit } from './view-fit.ts';

/** "A", "A and B", "A, B and C". */
export function listOf(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

export function fitNotes(fit: ViewFit): StandingsNote[] {
  const notes: StandingsNote[] = [];
  // Online Elo is finite whatever the results: these are Bradley-Terry's caveats. A model that
  // never lost (or never won) has no finite rating, whichever model the solver happened to flag.
  const bt = fit.method === 'bt' ? fit.models : [];
  const neverLost = bt.filter((m) => m.wins > 0 && m.losses + m.ties === 0);
  const neverWon = bt.filter((m) => m.losses > 0 && m.wins + m.ties === 0);
  const plain = new Set([...neverLost, ...neverWon]);
  const cornered = bt.filter((m) => m.separated && !plain.has(m));
  const modelNotes = fit.intervals?.prior
    ? // The prior keeps every rating finite: it is an estimate, pulled towards 1000 while the votes are few.
      ([['leans_on_prior', [...neverLost, ...neverWon]]] as const)
    : ([
        ['never_lost', neverLost],
        ['never_won', neverWon],
        ['cornered', cornered],
      ] as const);
  for (const [code, models] of modelNotes) {
    if (models.length > 0) notes.push({ code, models: models.map((m) => m.id) });
  }
  if (fit.style && fit.style.votesWithoutFeatures > 0) notes.push({ code: 'without_style_features', votes: fit.style.votesWithoutFeatures });
  if (fit.groups.length > 1) notes.push({ code: 'disconnected', groups: fit.groups.map((g) => [...g]) });
  // Resamples of unbounded ratings fail too: that is said above already.
  if (fit.bootstrapFailures > 0 && fit.bootstrap && neverLost.length + neverWon.length + cornered.length === 0) {
    notes.push({ code: 'bootstrap_failures', failures: fit.bootstrapFailures, rounds: fit.bootstrap.rounds });
  }
  if (fit.solverStopped) notes.push({ code: 'solver_stopped' });
  return notes;
}

const ABOUT_MODELS = {
  leans_on_prior: [
    'has never lost or never won, so its rating leans on the prior (a weak pull towards 1000) until it does.',
    'have never lost or never won, so their ratings lean on the prior (a weak pull towards 1000) until they do.',
  ],
  never_lost: ['has never lost, so its rating has no upper bound yet.', 'have never lost, so their ratings have no upper bound yet.'],
  never_won: ['has never won, so its rating has no lower bound yet.', 'have never won, so their ratings have no lower bound yet.'],
  cornered: [
    'has either won or lost every game against some of the others, so its rating is not an estimate yet.',
    'have either won or lost every game against some of the others, so their ratings are not estimates yet.',
  ],
} as const;

export function noteText(note: StandingsNote, nameOf: (id: string) => string): string {
  switch (note.code) {
    case 'leans_on_prior':
    case 'never_lost':
    case 'never_won':
    case 'cornered':
      return `${listOf(note.models.map(nameOf))} ${ABOUT_MODELS[note.code][note.models.length === 1 ? 0 : 1]}`;
    case 'without_style_features':
      return `${note.votes} votes have answers without style features (imported without their conversation) and are left out of the style-controlled ratings.`;
    case 'disconnected':
      return `Some models were never compared, not even through other models: ${note.groups.map((g) => listOf(g.map(nameOf))).join('; ')}. Ratings compare only within each of these groups.`;
    case 'bootstrap_failures':
      return `${note.failures} of the ${note.rounds} resamples behind the intervals could not be fitted, so the intervals are rougher than they look.`;
    case 'solver_stopped':
      return 'The fit stopped before it fully settled, so the ratings may still move a little.';
  }
}

export function plainWarnings(fit: ViewFit, nameOf: (id: string) => string): string[] {
  return fitNotes(fit).map((note) => noteText(note, nameOf));
}
