/**
 * Evaluations' background work with several instances on one database: each pending answer is
 * claimed by one instance only, an instance that starts requeues only its own interrupted work,
 * and a dead instance's work goes back to the queue (server/evaluations/generation-repo.ts).
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { evalGenerations } from '../../db/schema-evaluations.ts';
import { EvaluationRepo } from '../../server/evaluations/repo.ts';
import { signedIn } from '../support/auth.ts';
import { createEvaluation, jsonl } from '../support/auth-evaluations.ts';
import { useCleanup } from '../support/hooks.ts';
import { useTestServer } from '../support/test-server.ts';

const cleanup = useCleanup();
const startServer = useTestServer(cleanup);

describe('evaluation work on several instances', () => {
  it('claims each pending answer once, requeues only its own on start, and a dead peer’s when reaped', async () => {
    const server = await startServer();
    const admin = await signedIn(server, 'admin@example.com', 'admin');
    const evaluation = await createEvaluation(server, admin, {
      models: ['model-alpha', 'model-bravo'],
      prompts: { format: 'jsonl', content: jsonl([{ prompt: 'Explain recursion' }, { prompt: '재귀를 설명해 주세요' }]) },
    });
    const db = server.app.db;
    const [a, b, c] = db.select().from(evalGenerations).where(eq(evalGenerations.evaluationId, evaluation.id)).all();
    const one = new EvaluationRepo(db, 'one');
    const two = new EvaluationRepo(db, 'two');
    const now = new Date();

    // Both see the same pending answer; only the first claim takes it.
    expect(one.claimGeneration(a!.id, now)).toBe(true);
    expect(two.claimGeneration(a!.id, now)).toBe(false);
    expect(two.claimGeneration(b!.id, now)).toBe(true);
    expect(one.claimGeneration(c!.id, now)).toBe(true);
    const row = (id: number) => db.select().from(evalGenerations).where(eq(evalGenerations.id, id)).get()!;
    expect([row(a!.id), row(b!.id)].map((g) => [g.status, g.instanceId, g.attempts])).toEqual([
      ['running', 'one', 1],
      ['running', 'two', 1],
    ]);

    // Instance one restarts beside a live two: its own go back to the queue, two's keep running.
    expect(new EvaluationRepo(db, 'one').requeueRunning({ alone: false })).toBe(2);
    expect([row(a!.id).status, row(b!.id).status, row(c!.id).status]).toEqual(['pending', 'running', 'pending']);
    expect(row(a!.id)).toMatchObject({ instanceId: null, attempts: 0 });
    expect(one.generatingInstances()).toEqual(['two']);
    expect(two.generatingInstances()).toEqual([]);

    // Two dies: a survivor's reaper puts its answer back for whichever instance takes it.
    expect(one.requeueRunningOf(['two'])).toBe(1);
    expect(row(b!.id)).toMatchObject({ status: 'pending', instanceId: null, attempts: 0 });
    expect(one.generatingInstances()).toEqual([]);

    // Alone, an instance requeues every interrupted answer, whoever claimed it.
    expect(two.claimGeneration(b!.id, now)).toBe(true);
    expect(new EvaluationRepo(db, 'one').requeueRunning({ alone: true })).toBe(1);
  });
});
