/** Rating over time (pure): online Elo after each UTC day of a view's votes, and the rank it gives. */
import type { RatingHistoryPoint } from '../../protocol/standings.ts';
import { eloUpdate, INITIAL_RATING } from '../ratings/elo.ts';
import { outcomeFromDbWinner, scoreOfA } from '../ratings/outcomes.ts';
import type { ViewVote } from './views-repo.ts';

const dayOf = (at: number) => new Date(at).toISOString().slice(0, 10);

/** One point per day with votes, in order; every model voted on so far is in each point. */
export function ratingHistory(votes: Iterable<ViewVote>, k: number): RatingHistoryPoint[] {
  const ratings = new Map<string, number>();
  const points: RatingHistoryPoint[] = [];
  let day: string | null = null;
  let count = 0;
  const close = () => {
    if (day === null) return;
    const elo: Record<string, number> = {};
    const rank: Record<string, number> = {};
    const sorted = [...ratings].sort((x, y) => y[1] - x[1]);
    sorted.forEach(([id, rating], i) => {
      elo[id] = Math.round(rating * 100) / 100;
      // Competition ranking: equal ratings share a rank.
      rank[id] = i > 0 && rating === sorted[i - 1]![1] ? rank[sorted[i - 1]![0]]! : i + 1;
    });
    points.push({ day, elo, rank, votes: count });
  };
  for (const [a, b, winner, at] of votes) {
    if (a === b) continue;
    const today = dayOf(at);
    if (today !== day) {
      close();
      day = today;
      count = 0;
    }
    const [ra, rb] = eloUpdate(ratings.get(a) ?? INITIAL_RATING, ratings.get(b) ?? INITIAL_RATING, scoreOfA(outcomeFromDbWinner(winner)), k);
    ratings.set(a, ra);
    ratings.set(b, rb);
    count++;
  }
  close();
  return points;
}
