/** The standings' read of the answers table: recent timings, tokens and cost per model, for speed and cost figures. */
import type { Sqlite, Statement } from '../../db/client.ts';
import type { AnswerSample } from './speed.ts';

/** Answers the arena cut short (voter stopped, page closed, server restarted): they say nothing about the model. */
const ARENA_CUT_KINDS = ['aborted', 'stopped', 'interrupted'];

export class AnswerSamples {
  readonly #recent: Statement<[string, number, number], Omit<AnswerSample, 'failed'> & { failed: number }>;
  readonly #lastId: Statement<[], { id: number | null }>;

  constructor(sqlite: Sqlite) {
    // Served by answers_model_idx, ordered by (model_id, rowid): no sort needed, and `a.id > ?`
    // bounds the walk (the index holds the rowid after the model). Only answers of
    // battles that are over (voted, failed or abandoned) count: a figure that moved while a battle
    // waits for its vote would tell the voter which models answered it. Imported battles carry no timings.
    // Named battles are left out like their votes: the public standings, speed and cost included, are
    // made of blind battles only, so choosing models by name moves nothing public. (Direct chats'
    // answers live in their own table, server/chat, and never come here.)
    this.#recent = sqlite.prepare(
      `SELECT a.model_id AS modelId, a.ttft_ms AS ttftMs, a.total_ms AS totalMs, a.output_tokens AS outputTokens,
              a.cost_usd AS costUsd, a.finish_reason = 'error' AS failed
       FROM answers a JOIN battles b ON b.id = a.battle_id
       WHERE a.model_id = ? AND a.id > ? AND a.battle_id NOT LIKE 'imp-%'
         AND b.status IN ('voted', 'failed', 'abandoned') AND b.mode <> 'named'
         AND coalesce(a.error_kind, '') NOT IN (${ARENA_CUT_KINDS.map((k) => `'${k}'`).join(', ')})
       ORDER BY a.id DESC LIMIT ?`,
    );
    this.#lastId = sqlite.prepare('SELECT max(id) AS id FROM answers');
  }

  /** The newest answer's id (0 without answers). */
  lastId(): number {
    return this.#lastId.get()?.id ?? 0;
  }

  /** A model's most recent answers, newest first, up to `limit`; only answers after `afterId` when given. */
  recent(modelId: string, limit: number, afterId = 0): AnswerSample[] {
    return this.#recent.all(modelId, afterId, limit).map((r) => ({ ...r, failed: r.failed === 1 }));
  }
}
