/** Which intervals a fit used, in the reader's words (`, 95% intervals from 100 bootstrap rounds`): for the leaderboard and evaluation results alike. */
import type { IntervalsUsed } from '../../../protocol/types.ts';
import type { Words } from './history-format.ts';

/** `rounds`: the bootstrap's, when the intervals are bootstrap ones. Empty without intervals (online Elo). */
export function intervalsText(i18n: Words, intervals: IntervalsUsed | null, rounds: number): string {
  if (!intervals) return '';
  return i18n.t('leaderboard.meta.intervals', {
    method: intervals.method,
    rounds,
    clustered: intervals.clustered ? 'yes' : 'no',
    prior: intervals.prior ? 'yes' : 'no',
    sd: intervals.prior ? i18n.number(intervals.prior.sd) : '',
  });
}
