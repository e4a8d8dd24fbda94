/**
 * Judge models for tests: an OpenAI-compatible judge on a local fake upstream answering in the
 * service's own SSE, whose verdicts a test scripts per item (by which model's answer is shown
 * first), and voting in model terms whatever sides a voter was shown.
 */
import { and, eq } from 'drizzle-orm';
import { evalAssignments, evalGenerations, evalItems, evalPrompts } from '../../db/schema-evaluations.ts';
import type { EvalItem } from '../../protocol/evaluations.ts';
import type { Winner } from '../../protocol/types.ts';
import type { ModelConfigInput } from '../../server/models/config.ts';
import { vote } from './auth-evaluations.ts';
import type { FakeUpstream, RecordedRequest, ScriptedResponse } from './fake-upstream.ts';
import type { TestServer, TestSocket } from './test-server.ts';
import { openaiTextStream } from './upstream-fixtures/openai.ts';

/** $1 per token, so a call's cost is its token count. */
export const DOLLAR_PER_TOKEN = { inputPerMillion: 1_000_000, outputPerMillion: 1_000_000 };

export function judgeModel(upstream: FakeUpstream, extra: Partial<ModelConfigInput> = {}): ModelConfigInput {
  return { id: 'judge-gpt', name: 'Judge GPT', provider: 'openai', baseUrl: `${upstream.url}/v1`, model: 'gpt-4o-mini', pricing: DOLLAR_PER_TOKEN, ...extra };
}

/** What a judge call shows: the first user turn, and the two answers as A and B. */
export function shown(request: RecordedRequest): { prompt: string; a: string; b: string; system: string } | null {
  const messages = (request.body as { messages?: Array<{ role: string; content: string }> } | undefined)?.messages ?? [];
  const user = messages.find((m) => m.role === 'user')?.content ?? '';
  const m =
    /<\|User Prompt\|>\n([\s\S]*?)\n\n<\|The Start of Assistant A's Answer\|>\n([\s\S]*?)\n<\|The End of Assistant A's Answer\|>\n\n<\|The Start of Assistant B's Answer\|>\n([\s\S]*?)\n<\|The End of Assistant B's Answer\|>/.exec(
      user,
    );
  return m ? { prompt: m[1]!, a: m[2]!, b: m[3]!, system: messages[0]?.content ?? '' } : null;
}

/** The model whose stored answer (first turn) is this text, in this evaluation. */
export function modelOfAnswer(server: Pick<TestServer, 'app'>, evaluationId: string, text: string): string {
  const rows = server.app.db.select().from(evalGenerations).where(eq(evalGenerations.evaluationId, evaluationId)).all();
  const row = rows.find((g) => g.answers?.[0] === text);
  if (!row) throw new Error(`no stored answer is ${JSON.stringify(text.slice(0, 40))}`);
  return row.modelId;
}

function lastUserTurn(request: RecordedRequest): string {
  const messages = (request.body as { messages?: Array<{ role: string; content: string }> } | undefined)?.messages ?? [];
  return messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
}

export type JudgeText = (call: { prompt: string; first: string; second: string }) => string;

/** Answers every judge call with the text `decide` gives for it (prompt, model shown first, model shown second). */
export function scriptJudge(upstream: FakeUpstream, server: Pick<TestServer, 'app'>, evaluationId: string, decide: JudgeText, calls = 200): void {
  const respond = (request: RecordedRequest): ScriptedResponse => {
    const s = shown(request);
    // Not a judge call: the judge model is a candidate too, answering a prompt of the evaluation.
    if (!s) return { body: openaiTextStream(`Judge GPT answers: ${lastUserTurn(request)}`) };
    const text = decide({ prompt: s.prompt, first: modelOfAnswer(server, evaluationId, s.a), second: modelOfAnswer(server, evaluationId, s.b) });
    return { body: openaiTextStream(text) };
  };
  upstream.enqueue(...Array.from({ length: calls }, () => respond));
}

/** A verdict written the way judges write them: an explanation, then the tag. */
export const verdictText = (tag: string) => `Both answers address the prompt; weighing accuracy and concision.\n\nMy final verdict is: [[${tag}]]`;

/** A judge that prefers `model` in both orders (a consistent judge). */
export const prefer =
  (model: string, strong = false) =>
  (first: string) =>
    first === model ? (strong ? 'A>>B' : 'A>B') : strong ? 'B>>A' : 'B>A';

/** Votes on the item in model terms: x = the item's first model better, y = its second. */
export async function voteAs(server: TestServer, socket: TestSocket, voterId: string, item: EvalItem, choice: 'x' | 'y' | 'tie' | 'bothbad') {
  const { swapped } = server.app.db
    .select()
    .from(evalAssignments)
    .where(and(eq(evalAssignments.itemId, item.itemId), eq(evalAssignments.voterId, voterId)))
    .get()!;
  const winner: Winner = choice === 'tie' || choice === 'bothbad' ? choice : (choice === 'x') !== swapped ? 'a' : 'b';
  return vote(socket, item, winner);
}

/** The item's models and its prompt's question id. */
export function itemInfo(server: TestServer, itemId: string) {
  const item = server.app.db.select().from(evalItems).where(eq(evalItems.id, itemId)).get()!;
  const prompt = server.app.db.select().from(evalPrompts).where(eq(evalPrompts.id, item.promptId)).get()!;
  return { ...item, questionId: prompt.questionId, category: prompt.category };
}
