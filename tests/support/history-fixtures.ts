/**
 * Fixed data for the model page, battle history and snapshot pages while their server routes live
 * on another branch (served by history-stand-in.ts). Battles keep their models and owner here; the
 * stand-in decides, as the server must, what an asker may see of them.
 */
import type { CategoryId, ModelProfile, Snapshot, Standings, StandingsEntry } from '../../protocol/standings.ts';
import type { AnswerView, Winner } from '../../protocol/types.ts';

export const MEMBER = 'member@example.com';
export const OTHER_MEMBER = 'other@example.com';
export const ADMIN = 'admin@example.com';
/** The id an anonymous test browser keeps in localStorage (`arena.voterId`). */
export const BROWSER_VOTER = 'browser-voter-0001';

export const MODELS = {
  alpha: { id: 'model-alpha', name: 'Alpha Secret' },
  bravo: { id: 'model-bravo', name: 'Bravo Secret' },
  charlie: { id: 'model-charlie', name: 'Charlie Secret' },
} as const;

export interface FixtureBattle {
  id: string;
  /** An account's email, or an anonymous browser's voter id. */
  owner: { email: string } | { voterId: string };
  createdAt: string;
  status: 'streaming' | 'ready' | 'failed' | 'voted' | 'abandoned';
  models: { a: { id: string; name: string }; b: { id: string; name: string } };
  winner: Winner | null;
  categories: CategoryId[];
  conversation: Array<{ turn: number; prompt: string; a: AnswerView; b: AnswerView }>;
}

const answer = (text: string): AnswerView => ({ text, reasoning: '', reasoningMs: null, finishReason: 'stop', error: null, interruption: null });

/** Model output that must render as Markdown and stay inert. */
export const HOSTILE_ANSWER = [
  '## 결과 요약',
  'This answer has **bold words** and a list:',
  '- first\n- second',
  '<img src="x" onerror="window.__xss = \'img\'">',
  '<script>window.__xss = "script"</script>',
  "[click me](javascript:window.__xss='link')",
].join('\n\n');

const at = (day: number, hour = 9) => new Date(Date.UTC(2026, 10, 1 + day, hour)).toISOString();
const ALPHA_VS_BRAVO = { a: MODELS.alpha, b: MODELS.bravo };
const BRAVO_VS_ALPHA = { a: MODELS.bravo, b: MODELS.alpha };

function battle(id: string, fields: Partial<FixtureBattle> & { prompt: string }): FixtureBattle {
  const { prompt, ...rest } = fields;
  return {
    id,
    owner: { email: MEMBER },
    createdAt: at(0),
    status: 'voted',
    models: ALPHA_VS_BRAVO,
    winner: 'a',
    categories: ['lang:en'],
    conversation: [{ turn: 1, prompt, a: answer(`Answer A to: ${prompt}`), b: answer(`Answer B to: ${prompt}`) }],
    ...rest,
  };
}

/** 30 plain battles of the member (for paging), then the ones tests look for by id. */
export const BATTLES: FixtureBattle[] = [
  ...Array.from({ length: 30 }, (_, i) =>
    battle(`battle-plain-${String(i + 1).padStart(2, '0')}`, {
      prompt: `Plain question number ${i + 1} about sorting`,
      createdAt: at(1 + (i % 20), i % 24),
      models: i % 2 === 0 ? ALPHA_VS_BRAVO : BRAVO_VS_ALPHA,
      winner: (['a', 'b', 'tie', 'bothbad'] as const)[i % 4],
    }),
  ),
  battle('battle-korean', {
    prompt: '한국어로 이진 탐색을 설명해 주세요',
    createdAt: at(22),
    models: { a: MODELS.alpha, b: MODELS.charlie },
    winner: 'b',
    categories: ['lang:ko', 'coding'],
  }),
  battle('battle-kimchi', { prompt: '김치찌개 끓이는 법을 알려 주세요', createdAt: at(23), categories: ['lang:ko'], winner: 'tie' }),
  battle('battle-markdown', {
    prompt: 'Show me formatted output',
    createdAt: at(24),
    conversation: [
      { turn: 1, prompt: 'Show me formatted output', a: answer(HOSTILE_ANSWER), b: answer('Plain *emphasis* and `code`.') },
      { turn: 2, prompt: 'And once more, shorter', a: answer('Second **turn** from A'), b: answer('Second turn from B') },
    ],
    categories: ['lang:en', 'multi_turn'],
  }),
  battle('battle-unvoted', {
    prompt: 'A battle nobody voted on yet',
    createdAt: at(25),
    status: 'ready',
    winner: null,
    models: { a: MODELS.charlie, b: MODELS.alpha },
  }),
  battle('battle-other', { prompt: "Another member's private question", owner: { email: OTHER_MEMBER }, createdAt: at(26) }),
  battle('battle-anon', { prompt: '이 브라우저에서 시작한 대결', owner: { voterId: BROWSER_VOTER }, createdAt: at(27), categories: ['lang:ko'] }),
  battle('battle-admin', { prompt: "The admin's own battle", owner: { email: ADMIN }, createdAt: at(28), winner: 'bothbad' }),
];

const speed = { answers: 120, errorRate: 0.025, medianTtftMs: 420, p90TtftMs: 900, medianLatencyMs: 2400, p90LatencyMs: 5100 };

function entry(model: { id: string; name: string }, rating: number, rankUB: number, battles: number, wins: number): StandingsEntry {
  const losses = Math.round((battles - wins) * 0.8);
  const ties = battles - wins - losses;
  return {
    ...model,
    demo: true,
    rating,
    ci: { lower: rating - 30, median: rating, upper: rating + 30 },
    rankUB,
    battles,
    wins,
    losses,
    ties,
    elo: rating + 4,
    separated: false,
    organization: 'Example Labs',
    license: 'Apache-2.0',
    deprecated: false,
    winRate: (wins + ties / 2) / battles,
    costPer1kAnswersUsd: 1.2,
    rankChange: null,
  };
}

export const STANDINGS: Standings = {
  method: 'bt',
  view: { method: 'bt', category: 'all', votes: 'blind', deprecated: '0', styleControl: '0' },
  minVotes: 20,
  computedAt: at(29),
  votes: 412,
  stale: false,
  converged: true,
  componentCount: 1,
  warnings: [],
  bootstrap: { rounds: 200, seed: 42 },
  models: [entry(MODELS.alpha, 1087, 1, 240, 150), entry(MODELS.bravo, 1012, 2, 230, 110)],
  provisional: [entry(MODELS.charlie, 960, 3, 12, 4)],
  pairs: {
    models: ['model-alpha', 'model-bravo'],
    battles: [
      [null, 200],
      [200, null],
    ],
    predicted: [
      [null, 0.6],
      [0.4, null],
    ],
    observed: [
      [null, 0.61],
      [0.39, null],
    ],
  },
  fronts: { cost: ['model-alpha'], tokensPerSecond: ['model-alpha'], ttft: ['model-bravo'] },
};

export const SNAPSHOT: Snapshot = {
  id: 'snap-2026-12',
  name: '2026년 12월 순위',
  createdAt: at(29, 12),
  createdBy: ADMIN,
  view: STANDINGS.view,
  eloK: 4,
  softwareVersion: '0.1.0',
  votesHash: 'sha256:9f2c4e51b0a7d3e8c6f1a2b4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7a8',
  votes: 412,
  bootstrap: { rounds: 200, seed: 42 },
  standings: STANDINGS,
};

/** The model page of Alpha: 20 days of history, two opponents, categories, speed. Battles are added by the stand-in. */
export const ALPHA_PROFILE: Omit<ModelProfile, 'recentBattles'> = {
  model: { ...MODELS.alpha, demo: true, organization: 'Example Labs', license: 'Apache-2.0', deprecated: false },
  standing: STANDINGS.models[0]!,
  history: Array.from({ length: 20 }, (_, i) => ({ day: at(i).slice(0, 10), elo: 1000 + i * 4 + (i % 3) * 2, rank: i < 6 ? 2 : 1 })),
  opponents: [
    { id: MODELS.bravo.id, name: MODELS.bravo.name, battles: 200, wins: 122, losses: 70, ties: 8, winRate: 0.63 },
    { id: MODELS.charlie.id, name: MODELS.charlie.name, battles: 40, wins: 28, losses: 10, ties: 2, winRate: 0.725 },
  ],
  categories: [
    { category: 'all', rating: 1087, ci: { lower: 1057, median: 1087, upper: 1117 }, votes: 240, provisional: false },
    { category: 'lang:ko', rating: 1120, ci: { lower: 1070, median: 1120, upper: 1170 }, votes: 60, provisional: false },
    { category: 'coding', rating: 1041, ci: { lower: 980, median: 1041, upper: 1102 }, votes: 14, provisional: true },
    { category: 'math', rating: null, ci: null, votes: 0, provisional: true },
  ],
  speed: { ...speed, medianTokensPerSecond: 48, medianOutputTokens: 310, meanCostUsd: null, medianCostUsd: 0.0012 },
  distributions: {
    latencyMs: [800, 1200, 1700, 2400, 3300, 5100, 9000],
    tokensPerSecond: [12, 25, 36, 48, 60, 71, 95],
    costUsd: [0.0002, 0.0005, 0.0008, 0.0012, 0.0016, 0.0022, 0.004],
  },
};
