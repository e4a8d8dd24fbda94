/**
 * A real arena with standings the tests can work out, for the leaderboard page's browser tests:
 * six models with organisations, licences and prices (one named in Hangul, one whose name carries
 * markup, one deprecated by the admin once the votes are in), battles played and voted over a real
 * socket on the app's clock moved so the votes spread over three weeks, in Korean, English and
 * code. Who wins is decided from the pair the server drew (read from the database, as a test may)
 * by a fixed order of strength with ties and upsets, and the newcomer stops one vote short of the
 * threshold. Every vote is kept, so the tests compute what the page must show (votes, online Elo,
 * who is rated and who provisional, which pairs met) from the votes played, not from fixed numbers.
 */
import type { Winner } from '../../protocol/types.ts';
import type { ModelConfigInput } from '../../server/models/config.ts';
import { eloUpdate, INITIAL_RATING } from '../../server/ratings/elo.ts';
import { Xoshiro128 } from '../../server/ratings/random.ts';
import { api, login, PASSWORD } from './auth.ts';
import { type BrowserArena, startBrowserArena } from './browser-arena.ts';
import { MovableClock } from './history-arena.ts';
import { useShared } from './hooks.ts';
import { playBattle, type TestSocket } from './test-server.ts';

export const HOSTILE_NAME = 'Rock Mini <img src=x onerror="window.pwned=1">';
export const ADMIN = 'standings-admin@example.com';
/** The threshold of the arena's config (`standings.minVotes`): fewer votes in a view is provisional. */
export const MIN_VOTES = 4;
/** Switched to deprecated by the admin after the votes. */
export const DEPRECATED = 'm-old';
/** Stops at MIN_VOTES − 1 votes: provisional in every view until a test votes once more. */
export const NEWCOMER = 'm-new';

const demo = (id: string, name: string, extra: Partial<ModelConfigInput>): ModelConfigInput => ({
  id,
  name,
  provider: 'demo',
  model: 'sage',
  tokensPerSecond: 0,
  ...extra,
});

/** Strongest first: the order in which the seeded votes usually go. */
export const STANDINGS_MODELS: ModelConfigInput[] = [
  demo('m-sol', 'Sol Large', {
    organization: 'Solar Labs',
    license: 'Apache-2.0',
    pricing: { inputPerMillion: 3, outputPerMillion: 15 },
    tokensPerSecond: 1500,
  }),
  demo('m-haneul', '하늘 7B', {
    model: 'brisk',
    organization: '서울 AI',
    license: 'MIT',
    pricing: { inputPerMillion: 0.2, outputPerMillion: 0.6 },
    tokensPerSecond: 2500,
  }),
  demo('m-wave', 'Wave Pro', {
    model: 'muddle',
    organization: 'Wave',
    license: 'proprietary',
    pricing: { inputPerMillion: 5, outputPerMillion: 25 },
    tokensPerSecond: 1000,
  }),
  demo(DEPRECATED, 'Old Timer', { organization: 'Solar Labs', license: 'MIT', pricing: { inputPerMillion: 1, outputPerMillion: 2 } }),
  // Names are untrusted text: this one must show as written, markup and all, and never run.
  demo('m-rock', HOSTILE_NAME, { model: 'brisk' }),
  demo(NEWCOMER, 'Newcomer 1', { model: 'muddle', organization: 'Fresh', license: 'MIT', pricing: { inputPerMillion: 0.5, outputPerMillion: 1 } }),
];
const STRENGTH = STANDINGS_MODELS.map((m) => m.id);
export const NAMES = new Map(STANDINGS_MODELS.map((m) => [m.id, m.name!]));
export const PRICED = new Set(STANDINGS_MODELS.filter((m) => m.pricing).map((m) => m.id));

const PROMPTS = {
  korean: ['서울의 봄 날씨가 어떤지 자세히 설명해 주세요', '김치찌개를 맛있게 끓이는 방법을 알려 주세요', '부산에서 하루 동안 여행할 계획을 세워 주세요'],
  english: ['How do ocean tides work, and why are there two a day?', 'What should I pack for a week of hiking in the rain?'],
  code: ['Why does this return the wrong sum?\n```python\ndef add(a, b):\n    return a - b\n```'],
};

export interface PlayedVote {
  battleId: string;
  modelA: string;
  modelB: string;
  winner: Winner;
  counted: boolean;
  /** When it was cast, on the app's clock. */
  at: number;
  /** Asked in Korean (the tests expect these, and only these, under `lang:ko`). */
  korean: boolean;
}

export interface StandingsArena extends BrowserArena {
  /** Every vote cast, oldest first (the tests' own votes appended). */
  votes: PlayedVote[];
  clock: MovableClock;
  /**
   * Plays battles on `socket` until the server draws a pair `choose` votes on (the others are
   * stopped, never voted); returns that vote, kept in `votes`.
   */
  voteOnce(socket: TestSocket, prompt: string, choose: (a: string, b: string) => Winner | null): Promise<PlayedVote>;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The seeded votes' rule: the stronger model wins, but every 7th vote is a tie, every 11th both bad, every 5th an upset. */
function seededWinner(i: number, a: string, b: string): Winner {
  if (i % 7 === 3) return 'tie';
  if (i % 11 === 5) return 'bothbad';
  const aStronger = STRENGTH.indexOf(a) < STRENGTH.indexOf(b);
  return aStronger !== (i % 5 === 2) ? 'a' : 'b';
}

async function playUntilVoted(
  arena: BrowserArena,
  clock: MovableClock,
  socket: TestSocket,
  prompt: string,
  choose: (a: string, b: string) => Winner | null,
): Promise<PlayedVote> {
  const pairOf = arena.app.db.$client.prepare<[string], { a: string; b: string }>('SELECT model_a AS a, model_b AS b FROM battles WHERE id = ?');
  for (let attempt = 0; attempt < 200; attempt++) {
    const battleId = await playBattle(socket, prompt);
    const { a, b } = pairOf.get(battleId)!;
    const winner = choose(a, b);
    if (winner === null) {
      const stopped = await socket.emitWithAck('battle:stop', { battleId });
      if (!stopped.ok) throw new Error(`battle:stop failed: ${stopped.error.message}`);
      continue;
    }
    const ack = await socket.emitWithAck('battle:vote', { battleId, winner });
    if (!ack.ok) throw new Error(`battle:vote failed: ${ack.error.message}`);
    return {
      battleId,
      modelA: ack.models.a.id,
      modelB: ack.models.b.id,
      winner,
      counted: ack.counted,
      at: clock.now(),
      korean: PROMPTS.korean.some((p) => prompt.startsWith(p)),
    };
  }
  throw new Error('the server never drew a pair to vote on');
}

/** The prompt of the i-th seeded vote: Korean, English and code in turn, each one different. */
function promptOf(i: number): string {
  const kinds = [PROMPTS.korean, PROMPTS.english, PROMPTS.korean, PROMPTS.code, PROMPTS.english];
  const list = kinds[i % kinds.length]!;
  const text = list[Math.floor(i / kinds.length) % list.length]!;
  return list === PROMPTS.korean ? `${text} (${i + 1}번째 질문)` : list === PROMPTS.code ? `${text}\n(case ${i + 1})` : `${text} (question ${i + 1})`;
}

/** Votes played before the tests (battles with the newcomer past its cap are stopped, not counted here). */
export const SEEDED_VOTES = 60;

/**
 * One arena for every test of the calling block: SEEDED_VOTES votes played in beforeAll, then the
 * admin deprecates DEPRECATED. The pairs come from a seeded source, the winners from the rule above.
 */
export function useStandingsArena(seed = 11): StandingsArena {
  return useShared(
    async () => {
      const clock = new MovableClock();
      const random = new Xoshiro128(seed);
      const arena = await startBrowserArena({
        models: STANDINGS_MODELS,
        config: { standings: { minVotes: MIN_VOTES } },
        users: { [ADMIN]: 'admin' },
        deps: { now: clock.now, random: () => random.nextFloat(), btIntervalMs: 100 },
      });
      const votes: PlayedVote[] = [];
      const voteOnce: StandingsArena['voteOnce'] = async (socket, prompt, choose) => {
        const vote = await playUntilVoted(arena, clock, socket, prompt, choose);
        votes.push(vote);
        return vote;
      };
      try {
        const socket = await arena.connect({ voterId: 'standings-seed-voter-01' });
        // From tomorrow 09:30 UTC, a vote every 9 hours: about three weeks, at every third hour of the day.
        const start = (Math.floor(Date.now() / DAY) + 1) * DAY + 9.5 * HOUR;
        for (let i = 0; i < SEEDED_VOTES; i++) {
          clock.set(start + i * 9 * HOUR);
          const newcomerVotes = votes.filter((v) => v.modelA === NEWCOMER || v.modelB === NEWCOMER).length;
          await voteOnce(socket, promptOf(i), (a, b) => ((a === NEWCOMER || b === NEWCOMER) && newcomerVotes >= MIN_VOTES - 1 ? null : seededWinner(i, a, b)));
        }
        socket.disconnect();
        clock.set(votes.at(-1)!.at + HOUR);
        const cookie = await login(arena, ADMIN, PASSWORD);
        const res = await api(arena, `/api/admin/models/${DEPRECATED}/deprecated`, { cookie, method: 'PATCH', body: { deprecated: true } });
        if (res.status !== 200) throw new Error(`deprecate failed: ${JSON.stringify(res.body)}`);
        return { ...arena, votes, clock, voteOnce };
      } catch (err) {
        await arena.close();
        throw err;
      }
    },
    (arena) => arena.close(),
  );
}

export interface ExpectedView {
  /** Rated models (at least `minVotes` votes in the view), best online Elo first. */
  rated: string[];
  /** The others with votes in the view, best first. */
  provisional: string[];
  battles: Map<string, number>;
  elo: Map<string, number>;
  /** `a b` for every ordered pair of models that met in the view. */
  met: Set<string>;
  votes: PlayedVote[];
}

/** What the standings of a view must be, from the votes played: online Elo (k = 4) over them in order. */
export function expectedView(
  played: readonly PlayedVote[],
  opts: { korean?: boolean; votes?: 'blind' | 'all'; minVotes?: number; deprecated?: boolean } = {},
): ExpectedView {
  const votes = played.filter((v) => (v.counted || opts.votes === 'all') && (!opts.korean || v.korean));
  const elo = new Map<string, number>();
  const battles = new Map<string, number>();
  const met = new Set<string>();
  for (const v of votes) {
    const score = v.winner === 'a' ? 1 : v.winner === 'b' ? 0 : 0.5;
    const [ra, rb] = eloUpdate(elo.get(v.modelA) ?? INITIAL_RATING, elo.get(v.modelB) ?? INITIAL_RATING, score, 4);
    elo.set(v.modelA, ra);
    elo.set(v.modelB, rb);
    for (const m of [v.modelA, v.modelB]) battles.set(m, (battles.get(m) ?? 0) + 1);
    met.add(`${v.modelA} ${v.modelB}`).add(`${v.modelB} ${v.modelA}`);
  }
  const minVotes = opts.minVotes ?? MIN_VOTES;
  const shown = [...elo.keys()].filter((id) => opts.deprecated || id !== DEPRECATED).sort((x, y) => elo.get(y)! - elo.get(x)!);
  return {
    rated: shown.filter((id) => battles.get(id)! >= minVotes),
    provisional: shown.filter((id) => battles.get(id)! < minVotes),
    battles,
    elo,
    met,
    votes,
  };
}
