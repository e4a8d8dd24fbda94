import type { Snapshot, SnapshotCreateInput, StandingsViewInput } from '../../../protocol/standings.ts';
import { api, errorText } from './http.ts';
import { RecordState } from './record-state.svelte.ts';
import { fieldOf } from './refusal.ts';

export class SnapshotState extends RecordState<Snapshot> {
  get snapshot(): Snapshot | null {
    return this.record;
  }

  load(id: string): Promise<void> {
    return this.fetchRecord(async () => (await api('GET /api/snapshots/:id', { params: { id } })).snapshot);
  }
}

export type SnapshotListing = Omit<Snapshot, 'standings'>;

/** The fields of a view a `#/admin/snapshots?…` link may carry (what the leaderboard shows). */
const VIEW_FIELDS = ['method', 'category', 'votes', 'from', 'to', 'minVotes', 'deprecated', 'styleControl'] as const;

/** The view in a link's query, as the form starts with it; the server validates it on publish. */
export function viewFrom(query: URLSearchParams): StandingsViewInput {
  const view: Record<string, string | number> = {};
  for (const field of VIEW_FIELDS) {
    const value = query.get(field);
    if (value !== null && value !== '') view[field] = field === 'minVotes' ? Number(value) : value;
  }
  return view as StandingsViewInput;
}

export class SnapshotAdminState {
  #snapshots = $state.raw<SnapshotListing[] | null>(null);
  #publishing = $state(false);
  #failure = $state.raw<unknown>(null);
  #field = $state<string | null>(null);

  /** Newest first; null before the first answer. */
  get snapshots(): readonly SnapshotListing[] | null {
    return this.#snapshots;
  }
  get publishing(): boolean {
    return this.#publishing;
  }
  /** The server's words for the last refusal (English); the page words `failure` in its language. */
  get error(): string | null {
    return this.#failure === null ? null : errorText(this.#failure);
  }
  /** What the last load or publish threw (an ApiError when the server refused), or null. */
  get failure(): unknown {
    return this.#failure;
  }
  /** The form field the server refused, when it named one (e.g. `name`, `view.from`). */
  get field(): string | null {
    return this.#field;
  }

  async load(): Promise<void> {
    try {
      const { snapshots } = await api('GET /api/admin/snapshots');
      this.#snapshots = [...snapshots].sort((x, y) => y.createdAt.localeCompare(x.createdAt));
    } catch (err) {
      this.#failure = err;
    }
  }

  /** Publishes the view under a name; resolves to the snapshot, or null when refused (see `failure`). */
  async publish(input: SnapshotCreateInput): Promise<Snapshot | null> {
    this.#publishing = true;
    this.#failure = null;
    this.#field = null;
    try {
      const { snapshot } = await api('POST /api/admin/snapshots', { body: input });
      const { standings: _, ...listing } = snapshot;
      this.#snapshots = [listing, ...(this.#snapshots ?? []).filter((s) => s.id !== snapshot.id)];
      return snapshot;
    } catch (err) {
      this.#failure = err;
      this.#field = fieldOf(err);
      return null;
    } finally {
      this.#publishing = false;
    }
  }
}
