/**
 * A model's record from the public votes (pure): its online Elo and rank at the close of every UTC
 * day with votes since its first, and its record against each opponent. The Elo is the same
 * per-vote step, over the same votes in the same order, as the stored ratings, so the last point
 * is the model's current rating.
 */
import type { Winner } from '../../protocol/types.ts';
import { eloUpdate, INITIAL_RATING } from '../ratings/elo.ts';
import { outcomeFromDbWinner, scoreOfA } from '../ratings/outcomes.ts';

export interface DayPoint {
  day: string;
  elo: number;
  rank: number;
}

export interface OpponentRecord {
  id: string;
  battles: number;
  wins: number;
  losses: number;
  ties: number;
}

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const round2 = (x: number) => Math.round(x * 100) / 100;

export function modelRecord(
  votes: Iterable<readonly [modelA: string, modelB: string, winner: Winner, createdAt: number]>,
  modelId: string,
  k: number,
): { history: DayPoint[]; opponents: OpponentRecord[] } {
  const elo = new Map<string, number>();
  const opponents = new Map<string, OpponentRecord>();
  const history: DayPoint[] = [];
  let day: string | null = null;
  const close = () => {
    const mine = elo.get(modelId);
    if (day === null || mine === undefined) return;
    let above = 0;
    for (const r of elo.values()) if (r > mine) above++;
    history.push({ day, elo: round2(mine), rank: above + 1 });
  };
  for (const [a, b, winner, at] of votes) {
    if (a === b) continue;
    const today = dayOf(at);
    if (today !== day) {
      close();
      day = today;
    }
    const score = scoreOfA(outcomeFromDbWinner(winner));
    const [ra, rb] = eloUpdate(elo.get(a) ?? INITIAL_RATING, elo.get(b) ?? INITIAL_RATING, score, k);
    elo.set(a, ra);
    elo.set(b, rb);
    if (a !== modelId && b !== modelId) continue;
    const other = a === modelId ? b : a;
    const mine = a === modelId ? score : 1 - score;
    const record = opponents.get(other) ?? { id: other, battles: 0, wins: 0, losses: 0, ties: 0 };
    record.battles++;
    if (mine === 1) record.wins++;
    else if (mine === 0) record.losses++;
    else record.ties++;
    opponents.set(other, record);
  }
  close();
  return { history, opponents: [...opponents.values()].sort((x, y) => y.battles - x.battles || x.id.localeCompare(y.id)) };
}
