/** Evaluation helpers for tests: create and start over real HTTP, wait for answers, judge over real sockets. */
import { expect } from 'vitest';
import type { EvalItem, EvaluationCreateInput, EvaluationDetail } from '../../protocol/evaluations.ts';
import type { Winner } from '../../protocol/types.ts';
import { api } from './auth.ts';
import type { TestServer, TestSocket } from './test-server.ts';

export function jsonl(rows: object[]): string {
  return `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;
}

export async function createEvaluation(
  server: TestServer,
  admin: string,
  input: Partial<EvaluationCreateInput> & Pick<EvaluationCreateInput, 'prompts' | 'models'>,
) {
  const res = await api<{ evaluation: EvaluationDetail }>(server, '/api/admin/evaluations', { cookie: admin, body: { name: 'Test evaluation', ...input } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.evaluation;
}

/** Starts the evaluation and waits until no answer is left to generate. */
export async function startAndGenerate(server: TestServer, admin: string, id: string): Promise<EvaluationDetail> {
  expect((await api(server, `/api/admin/evaluations/${id}/start`, { cookie: admin, body: {} })).status).toBe(200);
  await expect.poll(() => server.app.evaluations.progress(id).generation.pending, { timeout: 15_000 }).toBe(0);
  return server.app.evaluations.detail(id);
}

export async function nextItem(socket: TestSocket, evaluationId: string): Promise<EvalItem | null> {
  const reply = await socket.emitWithAck('eval:next', { evaluationId });
  if (!reply.ok) throw new Error(`eval:next: ${reply.error.code} ${reply.error.message}`);
  return reply.item;
}

export async function vote(socket: TestSocket, item: EvalItem, winner: Winner, extra: { reason?: string; voteId?: string } = {}) {
  const reply = await socket.emitWithAck('eval:vote', { evaluationId: item.evaluationId, itemId: item.itemId, winner, ...extra });
  if (!reply.ok) throw new Error(`eval:vote: ${reply.error.code} ${reply.error.message}`);
  return reply.progress;
}
