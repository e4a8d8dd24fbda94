/**
 * A real arena with a history the tests know, for the browser tests of battle history, model
 * pages and snapshots: two members, an admin and an anonymous visitor play and vote battles over
 * real sockets, on the app's clock moved so the battles spread over three weeks. What was played
 * (ids, prompts, owners, the models each vote revealed, whether it counted, when) is kept, so the
 * tests take their expectations from the same battles the server stored, not from fixed numbers.
 */
import type { RevealedModels, Winner } from '../../protocol/types.ts';
import type { ModelConfig, ModelConfigInput } from '../../server/models/config.ts';
import { adapterFor } from '../../server/providers/index.ts';
import type { ProviderAdapter, ProviderChunk } from '../../server/providers/types.ts';
import { Xoshiro128 } from '../../server/ratings/random.ts';
import { api, connectWith, login, PASSWORD } from './auth.ts';
import { type BrowserArena, startBrowserArena } from './browser-arena.ts';
import { useShared } from './hooks.ts';
import { fastDemoModels, playBattle, type TestSocket, waitForTurn } from './test-server.ts';

export const MEMBER = 'member@example.com';
export const OTHER_MEMBER = 'other@example.com';
export const ADMIN = 'admin@example.com';
/** An anonymous visitor who played from another browser (over a socket, with this voter id). */
export const OTHER_BROWSER = 'other-browser-voter-0001';

/** Alpha streams at a measurable pace and has prices, so its page has speed and cost figures. */
export const HISTORY_MODELS: ModelConfigInput[] = fastDemoModels.map((m) =>
  m.id === 'model-alpha' ? { ...m, tokensPerSecond: 800, pricing: { inputPerMillion: 3, outputPerMillion: 15 } } : m,
);
export const MODEL_NAMES = HISTORY_MODELS.map((m) => m.name!);

/** The prompt every model answers with HOSTILE_ANSWER (the first turn only). */
export const HOSTILE_PROMPT = 'Show me formatted output';
/** Model output that must render as Markdown and stay inert. */
export const HOSTILE_ANSWER = [
  '## 결과 요약',
  'This answer has **bold words** and a list:',
  '- first\n- second',
  '<img src="x" onerror="window.__xss = \'img\'">',
  '<script>window.__xss = "script"</script>',
  "[click me](javascript:window.__xss='link')",
].join('\n\n');

export type Owner = 'member' | 'other' | 'admin' | 'other-browser';

export interface PlayedBattle {
  /** The test's name for it: `plain-01` … `plain-30`, `korean`, `kimchi`, `markdown`, `unvoted`, `other`, `admin`, `other-browser`. */
  key: string;
  id: string;
  owner: Owner;
  prompts: string[];
  /** When it started, on the app's clock. */
  at: number;
  vote: { winner: Winner; models: RevealedModels; counted: boolean; at: number } | null;
}

export interface HistoryData {
  /** Oldest first. */
  battles: PlayedBattle[];
}

export interface HistoryArena extends BrowserArena {
  data: HistoryData;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The app's one clock: real time plus an offset the builder moves forward. */
export class MovableClock {
  #offset = 0;
  readonly now = (): number => Date.now() + this.#offset;
  set(at: number): void {
    this.#offset = Math.max(this.#offset, at - Date.now());
  }
}

/** The real provider of every model, except that the hostile prompt's first turn gets the hostile answer. */
function withHostileAnswer(model: ModelConfig): ProviderAdapter {
  const real = adapterFor(model);
  return (req) => {
    const first = req.messages.filter((m) => m.role === 'user').length === 1;
    if (!first || req.messages.at(-1)?.content !== HOSTILE_PROMPT) return real(req);
    return (async function* (): AsyncGenerator<ProviderChunk> {
      for (const text of HOSTILE_ANSWER.match(/[\s\S]{1,40}/g)!) yield { type: 'text', text };
      yield { type: 'usage', inputTokens: 5, outputTokens: 60 };
      yield { type: 'finish', reason: 'stop' };
    })();
  };
}

/** Plays every prompt as one battle, then votes (unless `winner` is null). */
async function play(socket: TestSocket, clock: MovableClock, prompts: string[], winner: Winner | null): Promise<Pick<PlayedBattle, 'id' | 'vote'>> {
  const id = await playBattle(socket, prompts[0]);
  for (const [i, prompt] of prompts.slice(1).entries()) {
    const done = waitForTurn(socket, id, i + 2);
    const ack = await socket.emitWithAck('battle:continue', { battleId: id, prompt });
    if (!ack.ok) throw new Error(`battle:continue failed: ${ack.error.message}`);
    await done;
  }
  if (winner === null) return { id, vote: null };
  const ack = await socket.emitWithAck('battle:vote', { battleId: id, winner });
  if (!ack.ok) throw new Error(`battle:vote failed: ${ack.error.message}`);
  return { id, vote: { winner, models: ack.models, counted: ack.counted, at: clock.now() } };
}

async function playHistory(arena: BrowserArena, clock: MovableClock): Promise<HistoryData> {
  const socketOf = async (email: string) => connectWith(arena, { cookie: await login(arena, email, PASSWORD) });
  const sockets: Record<Owner, TestSocket> = {
    member: await socketOf(MEMBER),
    other: await socketOf(OTHER_MEMBER),
    admin: await socketOf(ADMIN),
    'other-browser': await arena.connect({ voterId: OTHER_BROWSER }),
  };
  // From tomorrow 09:00 UTC, one battle every 14 hours: about three weeks, at every hour of the day.
  const start = (Math.floor(Date.now() / DAY) + 1) * DAY + 9 * HOUR;
  const plan: Array<{ key: string; owner: Owner; prompts: string[]; winner: Winner | null }> = [
    ...Array.from({ length: 30 }, (_, i) => ({
      key: `plain-${String(i + 1).padStart(2, '0')}`,
      owner: 'member' as const,
      prompts: [`Plain question number ${i + 1} about sorting`],
      winner: (['a', 'b', 'tie', 'bothbad'] as const)[i % 4]!,
    })),
    { key: 'korean', owner: 'member', prompts: ['한국어로 이진 탐색을 설명해 주세요'], winner: 'b' },
    { key: 'kimchi', owner: 'member', prompts: ['김치찌개 끓이는 법을 알려 주세요'], winner: 'tie' },
    { key: 'markdown', owner: 'member', prompts: [HOSTILE_PROMPT, 'And once more, shorter'], winner: 'a' },
    { key: 'unvoted', owner: 'member', prompts: ['A battle nobody voted on yet'], winner: null },
    { key: 'other', owner: 'other', prompts: ["Another member's private question"], winner: 'a' },
    { key: 'admin', owner: 'admin', prompts: ["The admin's own battle"], winner: 'bothbad' },
    { key: 'other-browser', owner: 'other-browser', prompts: ['다른 브라우저에서 시작한 대결'], winner: 'b' },
  ];
  const battles: PlayedBattle[] = [];
  try {
    for (const [i, step] of plan.entries()) {
      const at = start + i * 14 * HOUR;
      clock.set(at);
      battles.push({ key: step.key, owner: step.owner, prompts: step.prompts, at, ...(await play(sockets[step.owner], clock, step.prompts, step.winner)) });
    }
  } finally {
    for (const socket of Object.values(sockets)) socket.disconnect();
  }
  clock.set(battles.at(-1)!.at + HOUR);
  // Let the Bradley-Terry fit catch up with the last vote, so every page reads the same standings.
  await api(arena, '/api/leaderboard?method=bt');
  await arena.app.btLeaderboard.idle();
  return { battles };
}

/**
 * One arena for every test of the calling block, with the battles above played (in beforeAll).
 * The pair of each battle is drawn from a seeded source: the same seed plays the same pairs.
 */
export function useHistoryArena(seed = 7): HistoryArena {
  return useShared(
    async () => {
      const clock = new MovableClock();
      const random = new Xoshiro128(seed);
      const arena = await startBrowserArena({
        models: HISTORY_MODELS,
        users: { [MEMBER]: 'member', [OTHER_MEMBER]: 'member', [ADMIN]: 'admin' },
        deps: { now: clock.now, random: () => random.nextFloat(), adapterFor: withHostileAnswer },
      });
      try {
        return { ...arena, data: await playHistory(arena, clock) };
      } catch (err) {
        await arena.close();
        throw err;
      }
    },
    (arena) => arena.close(),
  );
}

/** The played battle the test calls `key`. */
export function battle(data: HistoryData, key: string): PlayedBattle {
  const found = data.battles.find((b) => b.key === key);
  if (!found) throw new Error(`no battle "${key}" was played`);
  return found;
}

/** The battles a visitor sees in the history, newest first: an admin every one, others their own. */
export function seenBy(data: HistoryData, who: Owner): PlayedBattle[] {
  return data.battles.filter((b) => who === 'admin' || b.owner === who).reverse();
}

/** Whether a vote revealed this model on either side. */
export const fought = (b: PlayedBattle, modelId: string): boolean => b.vote !== null && (b.vote.models.a.id === modelId || b.vote.models.b.id === modelId);

/** The UTC day (YYYY-MM-DD) of an epoch-ms time. */
export const dayOf = (at: number): string => new Date(at).toISOString().slice(0, 10);
