/**
 * Team evaluations: as voters see them (the list, the item to judge, progress) with the words both
 * sides share here; the admin's pages (`admin`) and an evaluation's results (`results`) in their own files.
 */
import { evalAdmin } from './eval-admin.ts';
import { evalResults } from './eval-results.ts';

export const evaluations = {
  admin: evalAdmin,
  results: evalResults,
  status: { draft: 'draft', running: 'running', closed: 'closed' },
  /** The status of a running evaluation whose every item has its votes. */
  allVotesIn: '{status} · all votes in',
  list: {
    title: 'Evaluations',
    intro: "Judge pairs of stored answers to your team's prompts. Keys 1–4 vote.",
    none: 'No evaluation is running right now.',
    line: '— {description} · you judged {mine, number} · {cast, number} / {wanted, plural, one {# vote} other {# votes}} in all',
  },
  mine: 'You judged {done, number}; {remaining, number} left for you.',
  finished: 'Nothing left for you to judge here — thank you!',
  back: 'Back to evaluations',
  progress: {
    generated: 'Answers generated',
    count: '{done, number} / {total, number}',
    failed: '({failed, number} failed)',
    votes: 'Votes',
    items: '· {complete, number} of {total, plural, one {# item} other {# items}} complete',
  },
  judge: {
    prompt: 'Prompt:',
    turn: 'Turn {turn, number}:',
    reason: 'Reason (optional, up to {max, plural, one {# character} other {# characters}})',
    reasonHint: 'Why? Keys 1–4 vote when this box is not focused.',
    skip: 'Skip this one',
    skipHint: 'Not sure, or not your field? Someone else will judge it.',
  },
} as const;
