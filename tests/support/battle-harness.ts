/**
 * The battle service alone, wired the way server/arena/module.ts wires it, on a real SQLite file
 * with the real migrations, but with no HTTP and no sockets: scripted adapters, a fake clock, a
 * scripted random source and an emitter that records what the battle's room would have been sent.
 */
import path from 'node:path';
import { type Db, openDb } from '../../db/client.ts';
import type { BattleDelta, BattleEnd } from '../../protocol/events.ts';
import { BattleService } from '../../server/arena/battle-service.ts';
import { BattleRepo, type BattleRow } from '../../server/arena/repo.ts';
import { TurnRunner } from '../../server/arena/turn-runner.ts';
import { VoteFlags } from '../../server/arena/vote-flags.ts';
import { DEFAULT_IDENTITY_KEYWORDS, type ReadingRule } from '../../server/integrity/rules.ts';
import { BattleGuard, type Caller } from '../../server/limits/battle-guard.ts';
import { limitsConfigSchema } from '../../server/limits/config.ts';
import type { ModelConfigInput } from '../../server/models/config.ts';
import { ModelRegistry } from '../../server/models/registry.ts';
import { ModelsRepo } from '../../server/models/repo.ts';
import { type ChatMessage, ProviderError } from '../../server/providers/types.ts';
import { categorizer } from '../../server/standings/categories.ts';
import { RatingsRepo } from '../../server/standings/ratings-repo.ts';
import { VoteCategoriesRepo } from '../../server/standings/vote-categories-repo.ts';
import { VoteRecorder } from '../../server/voting/recorder.ts';
import { VoteBatcher } from '../../server/voting/vote-batcher.ts';
import { type AdapterStep, answer, scriptedAdapter } from './fake-adapters.ts';
import { type Cleanup, useCleanup } from './hooks.ts';

/** Three models whose names no scripted answer says (a name in an answer flags the vote). */
export const HARNESS_MODELS: ModelConfigInput[] = [
  { id: 'alpha', name: 'Alpha', provider: 'demo' },
  { id: 'bravo', name: 'Bravo', provider: 'demo' },
  { id: 'charlie', name: 'Charlie', provider: 'demo' },
];

export const VOTER: Caller = { voterId: 'voter-1', ip: '192.0.2.10' };

export interface BattleHarnessOptions {
  models?: ModelConfigInput[];
  /** The reading-time rule (too_fast); off unless given. */
  reading?: ReadingRule;
  limits?: Record<string, unknown>;
}

/** One end as the room received it, with what the database said at that moment. */
export interface RecordedEnd {
  end: BattleEnd;
  status: BattleRow['status'] | undefined;
  answersStored: number;
}

export interface BattleHarness {
  service: BattleService;
  repo: BattleRepo;
  runner: TurnRunner;
  db: Db;
  /** What each model answers, by model id; a model without a script gives a short plain answer. */
  scripts: Map<string, AdapterStep[]>;
  /** The conversation each model was sent, in order. */
  requests: Array<{ modelId: string; messages: ChatMessage[] }>;
  deltas: BattleDelta[];
  ends: RecordedEnd[];
  /** The fake clock (ms since the epoch); move it with `advance`. */
  now(): number;
  advance(ms: number): void;
  /** Random numbers the sampler gets next (pair, then side); 0 once they run out: the first two models, in order. */
  draws: number[];
  voteWindowMs: number;
  /** Resolves once the battle's running turn (if any) has both answers stored. */
  settled(battleId: string): Promise<void>;
}

const PLAIN_ANSWER = answer(['A plain ', 'answer.']);

/**
 * For a file whose tests each build their own service: call it at the top (it registers the
 * afterEach, or joins the given cleanup). After each test, running turns are cut, the database
 * closed and its folder removed.
 */
export function useBattleHarness(cleanup: Cleanup = useCleanup()): (opts?: BattleHarnessOptions) => Promise<BattleHarness> {
  return async (opts = {}) => {
    const dir = cleanup.tempDir('arena-battle-');
    const db = openDb(path.join(dir, 'arena.db'));
    cleanup.defer(() => db.$client.close());
    let clock = 1_700_000_000_000;
    const now = () => clock;
    const draws: number[] = [];
    const random = () => draws.shift() ?? 0;

    const registry = new ModelRegistry(new ModelsRepo(db, now), {});
    await registry.syncFromConfig(opts.models ?? HARNESS_MODELS, 'config');
    const repo = new BattleRepo(db, now);
    const limits = limitsConfigSchema.parse({ battlesBurst: 100, maxConcurrentBattles: 10, ...opts.limits });
    const guard = new BattleGuard({ limits, loadTest: false, votes: repo, now });
    const scripts = new Map<string, AdapterStep[]>();
    const requests: BattleHarness['requests'] = [];
    const deltas: BattleDelta[] = [];
    const ends: RecordedEnd[] = [];
    const runner = new TurnRunner({
      repo,
      registry,
      emitter: {
        delta: (_battleId, payload) => deltas.push(payload),
        end: (battleId, payload) => ends.push({ end: payload, status: repo.getBattle(battleId)?.status, answersStored: repo.getAnswers(battleId).length }),
      },
      adapterFor: (model) => (req) => {
        requests.push({ modelId: model.id, messages: req.messages });
        return scriptedAdapter(scripts.get(model.id) ?? PLAIN_ANSWER)(req);
      },
    });
    // Cut anything still streaming before the database closes (registered after the close: runs first).
    cleanup.defer(() => runner.cutAll(new ProviderError('interrupted', 'the test ended')));
    const ratings = new RatingsRepo(db.$client, now);
    const voting = new VoteRecorder({
      batcher: new VoteBatcher(db.$client),
      ratings,
      eloK: 4,
      categorize: categorizer({ longPromptTokens: 1000 }),
      categories: new VoteCategoriesRepo(db.$client),
      onCounted: () => undefined,
    });
    const flags = new VoteFlags({ registry, identityKeywords: DEFAULT_IDENTITY_KEYWORDS, reading: opts.reading ?? null, now });
    const voteWindowMs = limits.voteWindowMinutes * 60_000;
    const service = new BattleService({ repo, registry, runner, guard, voting, flags, random, now, voteWindowMs });
    return {
      service,
      repo,
      runner,
      db,
      scripts,
      requests,
      deltas,
      ends,
      now,
      advance: (ms) => {
        clock += ms;
      },
      draws,
      voteWindowMs,
      settled: async (battleId) => {
        await runner.live(battleId)?.done;
      },
    };
  };
}
