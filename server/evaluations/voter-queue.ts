/**
 * A voter's queue: the item held for them, else the least-covered open one, with gold items mixed
 * in unseen (each voter gets each gold item once, spread over their real work); skipping passes an
 * item on to others. Sides are drawn at random per voter; nothing names a model.
 */
import type { EvalItem, VoterProgress } from '../../protocol/evaluations.ts';
import { AppError } from '../transport/errors.ts';
import { openToVoter, pickNextItem } from './assignment.ts';
import { GOLD_SIDES } from './gold.ts';
import { itemView } from './item-view.ts';
import type { AssignmentRow, EvaluationRepo, EvaluationRow } from './repo.ts';

export interface VoterQueueDeps {
  repo: EvaluationRepo;
  random: () => number;
  now: () => number;
  leaseMs: number;
}

export class VoterQueue {
  readonly #deps: VoterQueueDeps;
  constructor(deps: VoterQueueDeps) {
    this.#deps = deps;
  }

  next(ev: EvaluationRow, voterId: string): { item: EvalItem | null; progress: VoterProgress } {
    const { repo, now, random } = this.#deps;
    let assignment = repo.heldAssignment(ev.id, voterId);
    if (assignment && assignment.expiresAt.getTime() < now() && repo.votesOnItem(assignment.itemId) >= ev.votesPerItem) {
      // Held too long and filled by others meanwhile: hand out a fresh item instead.
      repo.release(assignment.itemId, voterId);
      assignment = undefined;
    }
    if (!assignment) {
      const at = now();
      const candidates = repo.candidates(ev.id, voterId, new Date(at));
      const open = candidates.filter((c) => openToVoter(c, ev.votesPerItem)).length;
      const gold = open > 0 ? repo.openGold(ev.id, voterId) : [];
      // Gold items come with the chance that spreads them evenly over this voter's remaining work,
      // and all before the last real item (after it, the voter has nothing left to be measured on).
      const itemId =
        gold.length > 0 && (open <= 1 || random() < gold.length / (gold.length + open))
          ? gold[Math.min(gold.length - 1, Math.floor(random() * gold.length))]!
          : pickNextItem(candidates, ev.votesPerItem, random);
      if (itemId) {
        assignment = { itemId, voterId, evaluationId: ev.id, swapped: random() < 0.5, createdAt: new Date(at), expiresAt: new Date(at + this.#deps.leaseMs) };
        repo.assign(assignment);
      }
    }
    return { item: assignment ? this.#view(ev, assignment) : null, progress: this.progress(ev, voterId) };
  }

  /** The voter passes on the item in hand: it goes to someone else, and they get the next one. */
  skip(ev: EvaluationRow, voterId: string, itemId: string): { item: EvalItem | null; progress: VoterProgress } {
    const { repo } = this.#deps;
    const held = repo.assignment(itemId, voterId);
    if (!held || held.evaluationId !== ev.id) throw new AppError('not_found', 'this item was not handed to you', { field: 'itemId' });
    repo.skip(ev.id, itemId, voterId, new Date(this.#deps.now()));
    return this.next(ev, voterId);
  }

  progress(ev: EvaluationRow, voterId: string): VoterProgress {
    const { repo, now } = this.#deps;
    const open = new Set(
      repo
        .candidates(ev.id, voterId, new Date(now()))
        .filter((c) => openToVoter(c, ev.votesPerItem))
        .map((c) => c.itemId),
    );
    // Gold items count as work while real work remains (they are never told apart).
    const gold = open.size > 0 ? repo.openGold(ev.id, voterId) : [];
    for (const g of gold) open.add(g);
    // The item in hand counts once, even if others filled it meanwhile.
    const held = repo.heldAssignment(ev.id, voterId);
    if (held) open.add(held.itemId);
    return { done: repo.votesBy(ev.id, voterId), remaining: open.size };
  }

  #view(ev: EvaluationRow, a: AssignmentRow): EvalItem {
    return itemView(this.#deps.repo, ev.id, a.itemId, a.swapped);
  }
}

export const isGoldItem = (item: { modelX: string }): boolean => item.modelX === GOLD_SIDES.x;
