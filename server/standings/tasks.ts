/**
 * The read-and-compute jobs of the standings that may take long on a large database: a view's
 * fit, its rating history, the vote count per category. Each reads its votes with one SQL query
 * and computes (pure functions); bt-worker.ts runs them off the event loop.
 */
import type { Sqlite } from '../../db/client.ts';
import type { CategorySummary, RatingHistoryPoint } from '../../protocol/standings.ts';
import { fitVotesOf } from './fit-votes.ts';
import { ratingHistory } from './rating-history.ts';
import { fitView, type ViewFit, type ViewFitOptions } from './view-fit.ts';
import { categorySummary, type FitColumns, type VoteFilter, viewFitVotes, viewVotesInOrder } from './views-repo.ts';

export type StandingsTask =
  | ({ kind: 'view'; filter: VoteFilter } & ViewFitOptions)
  | { kind: 'history'; filter: VoteFilter; eloK: number }
  | { kind: 'categories'; votes: VoteFilter['votes'] };

export interface TaskResults {
  view: ViewFit;
  history: RatingHistoryPoint[];
  categories: CategorySummary[];
}

export type TaskResult<T extends StandingsTask> = TaskResults[T['kind']];

/** What a view's fit reads besides pairs and outcomes (voters only to cluster, prompts only to deduplicate). */
function fitColumns(options: ViewFitOptions): FitColumns {
  const bt = options.method === 'bt';
  return {
    voters: bt && options.intervals.clustered && options.intervals.method !== 'fisher',
    prompts: bt && options.dedupTopShare > 0,
    style: bt && options.styleControl,
  };
}

export function runTask<T extends StandingsTask>(sqlite: Sqlite, task: T): TaskResult<T> {
  switch (task.kind) {
    case 'view':
      return fitView(fitVotesOf(viewFitVotes(sqlite, task.filter, fitColumns(task)), { style: task.styleControl }), task) as TaskResult<T>;
    case 'history':
      return ratingHistory(viewVotesInOrder(sqlite, task.filter), task.eloK) as TaskResult<T>;
    case 'categories':
      return categorySummary(sqlite, task.votes) as TaskResult<T>;
  }
  throw new Error(`unknown standings task ${(task as { kind: string }).kind}`);
}
