/**
 * A model's standing in each category, for its page: its row in the category's live standings
 * view (server/standings/view-service.ts), the same row the leaderboard shows for that category.
 * Bradley-Terry (for the interval), public blind votes only, deprecated models kept (a deprecated
 * model's page still shows where it stood), the configured vote threshold for "provisional".
 */
import type { CategorySummary, ModelProfile, StandingsView } from '../../protocol/standings.ts';
import type { StandingsViews } from '../standings/view-service.ts';
import { AppError } from '../transport/errors.ts';

/** The view of each category a profile reads (`category` set per row). */
export const PROFILE_CATEGORY_VIEW: Omit<StandingsView, 'category'> = { method: 'bt', votes: 'blind', deprecated: '1', styleControl: '0' };

export interface CategoryRatingsDeps {
  views: Pick<StandingsViews, 'standings'>;
  /** Counted votes per category (blind view). */
  categorySummary: () => Promise<CategorySummary[]>;
}

/** Every category with votes in which the model has a row, in the leaderboard's order of categories. */
export async function categoryRatings(deps: CategoryRatingsDeps, modelId: string): Promise<ModelProfile['categories']> {
  const categories = (await deps.categorySummary()).filter((c) => c.id !== 'all' && c.votes > 0);
  const rows = await Promise.all(
    categories.map(async ({ id }): Promise<ModelProfile['categories'][number] | null> => {
      let standings: Awaited<ReturnType<StandingsViews['standings']>>;
      try {
        standings = await deps.views.standings({ ...PROFILE_CATEGORY_VIEW, category: id });
      } catch (error) {
        // One category that cannot be fitted leaves the others on the page.
        if (error instanceof AppError && error.code === 'unavailable') return null;
        throw error;
      }
      const rated = standings.models.find((m) => m.id === modelId);
      const row = rated ?? standings.provisional.find((m) => m.id === modelId);
      if (!row) return null;
      // A model that won (or lost) every vote of the category has no finite rating yet.
      return { category: id, rating: row.separated ? null : row.rating, ci: row.separated ? null : row.ci, votes: row.battles, provisional: !rated };
    }),
  );
  return rows.filter((r) => r !== null);
}
