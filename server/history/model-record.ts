/**
 * Every model's record from the public votes (pure), folded one vote at a time: online Elo and
 * rank at the close of every UTC day with votes since the model's first, and the record against
 * each opponent. The Elo is the same per-vote step, over the same votes in the same order, as the
 * stored ratings, so a model's last point is its current rating.
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

const DAY_MS = 86_400_000;
const round2 = (x: number) => Math.round(x * 100) / 100;

export class PublicRecord {
  readonly #k: number;
  readonly #elo = new Map<string, number>();
  readonly #closed = new Map<string, DayPoint[]>();
  readonly #opponents = new Map<string, Map<string, OpponentRecord>>();
  /** The UTC day (days since the epoch) still open: its points are not final yet. */
  #day: number | null = null;

  constructor(k: number) {
    this.#k = k;
  }

  apply(a: string, b: string, winner: Winner, createdAt: number): void {
    if (a === b) return;
    const day = Math.floor(createdAt / DAY_MS);
    if (this.#day !== null && day !== this.#day) {
      for (const [id, point] of this.#points()) {
        const list = this.#closed.get(id);
        if (list) list.push(point);
        else this.#closed.set(id, [point]);
      }
    }
    this.#day = day;
    const score = scoreOfA(outcomeFromDbWinner(winner));
    const [ra, rb] = eloUpdate(this.#elo.get(a) ?? INITIAL_RATING, this.#elo.get(b) ?? INITIAL_RATING, score, this.#k);
    this.#elo.set(a, ra);
    this.#elo.set(b, rb);
    this.#tally(a, b, score);
    this.#tally(b, a, 1 - score);
  }

  /** The model's points, one per day with votes since its first, the open day last. */
  history(modelId: string): DayPoint[] {
    const open = this.#points().get(modelId);
    return [...(this.#closed.get(modelId) ?? []), ...(open ? [open] : [])];
  }

  /** Most battles first. */
  opponents(modelId: string): OpponentRecord[] {
    return [...(this.#opponents.get(modelId)?.values() ?? [])].sort((x, y) => y.battles - x.battles || x.id.localeCompare(y.id));
  }

  /** Every rated model's point for the open day (competition rank by Elo). */
  #points(): Map<string, DayPoint> {
    const out = new Map<string, DayPoint>();
    if (this.#day === null) return out;
    const day = new Date(this.#day * DAY_MS).toISOString().slice(0, 10);
    const sorted = [...this.#elo.values()].sort((x, y) => y - x);
    for (const [id, rating] of this.#elo) {
      // Competition rank: 1 + how many models are strictly above.
      let above = 0;
      while (above < sorted.length && sorted[above]! > rating) above++;
      out.set(id, { day, elo: round2(rating), rank: above + 1 });
    }
    return out;
  }

  #tally(model: string, other: string, score: number): void {
    const mine = this.#opponents.get(model) ?? new Map<string, OpponentRecord>();
    this.#opponents.set(model, mine);
    const record = mine.get(other) ?? { id: other, battles: 0, wins: 0, losses: 0, ties: 0 };
    record.battles++;
    if (score === 1) record.wins++;
    else if (score === 0) record.losses++;
    else record.ties++;
    mine.set(other, record);
  }
}
