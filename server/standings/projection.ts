/** The public leaderboard (pure): rating rows + model names → sorted, ranked entries. */
import type { Leaderboard, LeaderboardEntry } from '../../protocol/types.ts';

export interface RatingState {
  modelId: string;
  rating: number;
  games: number;
  wins: number;
  losses: number;
  ties: number;
}

export interface NamedModel {
  id: string;
  name: string;
  demo: boolean;
}

/** Rated models plus enabled models not yet rated (at the initial rating, 0 games). */
export function projectLeaderboard(
  rated: Iterable<RatingState>,
  models: (id: string) => NamedModel | undefined,
  unrated: NamedModel[],
  totalVotes: number,
  initialRating: number,
  updatedAt: Date,
): Leaderboard {
  const entries: Omit<LeaderboardEntry, 'rank'>[] = [];
  const seen = new Set<string>();
  for (const r of rated) {
    const m = models(r.modelId);
    seen.add(r.modelId);
    entries.push({
      id: r.modelId,
      name: m?.name ?? r.modelId,
      demo: m?.demo ?? false,
      rating: Math.round(r.rating * 100) / 100,
      games: r.games,
      wins: r.wins,
      losses: r.losses,
      ties: r.ties,
    });
  }
  for (const m of unrated) {
    if (seen.has(m.id)) continue;
    entries.push({ id: m.id, name: m.name, demo: m.demo, rating: initialRating, games: 0, wins: 0, losses: 0, ties: 0 });
  }
  entries.sort((x, y) => y.rating - x.rating || y.games - x.games || x.id.localeCompare(y.id));
  // Competition ranking: equal ratings share a rank.
  let rank = 0;
  const ranked = entries.map((e, i) => {
    if (i === 0 || e.rating !== entries[i - 1]!.rating) rank = i + 1;
    return { ...e, rank };
  });
  return { updatedAt: updatedAt.toISOString(), totalVotes, models: ranked };
}
