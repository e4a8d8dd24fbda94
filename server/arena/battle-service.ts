/**
 * Battle orchestration, the arena's rules: who may start, continue, vote on and stop which battle,
 * pairs drawn, votes taken through server/voting. Streaming is the TurnRunner's job.
 */
import { v7 as uuidv7 } from 'uuid';
import type { BattleView, IntegrityFlag, RevealedModels, Winner } from '../../protocol/types.ts';
import type { BattleGuard, Caller } from '../limits/battle-guard.ts';
import type { ModelRegistry } from '../models/registry.ts';
import { ARENA_CUT_KINDS, ProviderError } from '../providers/types.ts';
import { promptHash as hashPrompt } from '../standings/prompt-hash.ts';
import { AppError } from '../transport/errors.ts';
import type { VoteRecorder } from '../voting/recorder.ts';
import { battleView } from './battle-view.ts';
import type { Matchmaker } from './matchmaker.ts';
import { uniformPair } from './matchmaking.ts';
import type { BattleRepo, BattleRow } from './repo.ts';
import type { TurnRunner } from './turn-runner.ts';
import type { VoteFlags } from './vote-flags.ts';

export interface BattleServiceDeps {
  repo: BattleRepo;
  registry: ModelRegistry;
  runner: TurnRunner;
  guard: BattleGuard;
  voting: VoteRecorder;
  flags: VoteFlags;
  random: () => number;
  now: () => number;
  /** Which pair fights (the configured policy); every pair alike without one. */
  matchmaker?: Matchmaker | undefined;
  /** How long a finished battle waits for its vote before it is abandoned (its answers then count in public figures). */
  voteWindowMs?: number;
  /** Other instances stream battles too: a voter's battles streaming there count against the concurrency limit. */
  shared?: boolean;
}

/** What the voter learns about their vote besides the names: whether it counts, and if not, why. */
export interface VoteOutcome {
  models: RevealedModels;
  counted: boolean;
  flags: IntegrityFlag[];
}

/** The two models of a named battle, by id: `a` on the left, `b` on the right. */
export interface NamedPair {
  a: string;
  b: string;
}

export const DEFAULT_VOTE_WINDOW_MS = 60 * 60_000;

/** How long a page waits before it sends a refused start or turn again (by then it reconnected elsewhere). */
const DRAIN_RETRY_MS = 1000;

export class BattleService {
  readonly #deps: BattleServiceDeps;
  /** Shutting down: no new battle or turn starts here; running answers may still finish. */
  #draining = false;
  /** Shut down: votes are refused too (the page re-sends them to the next instance). */
  #closed = false;

  constructor(deps: BattleServiceDeps) {
    this.#deps = deps;
  }

  /**
   * Starts a battle. `retryOf` names a battle of the caller's that a model failed in: the same
   * prompt goes to a new pair, without the model(s) that failed when enough others are enabled.
   * `models` makes it a named battle: those two enabled models, left and right as given, no draw;
   * everything after (streaming, turns, the vote) is a blind battle's, its vote flagged `named`.
   */
  async start(
    caller: Caller,
    prompt: string,
    opts: { retryOf?: string | undefined; models?: NamedPair | undefined; onCreated?: (battleId: string) => void } = {},
  ): Promise<{ battleId: string }> {
    const { voterId } = caller;
    this.#refuseWhileDraining();
    await this.#deps.guard.checkStart(caller, prompt, this.#streamingFor(voterId));
    this.#refuseWhileDraining(); // the drain may have begun while the limits were read
    const [modelA, modelB] = opts.models ? this.#named(opts.models) : this.#draw(voterId, opts.retryOf);
    // Time-ordered (UUIDv7, still 74 random bits): the battle and vote indexes keyed by it grow at their end.
    const battleId = uuidv7();
    this.#deps.repo.createBattle({ id: battleId, mode: opts.models ? 'named' : 'arena', modelA, modelB, voterId, prompt });
    const battle = this.#deps.repo.getBattle(battleId);
    if (!battle) throw new AppError('internal', 'the battle was not stored');
    // The page joins the battle's room before anything can stream to it.
    opts.onCreated?.(battleId);
    this.#deps.runner.run(battle, 1, prompt);
    return { battleId };
  }

  /** A follow-up prompt; `onAccepted` runs once it is accepted, before the turn can stream. */
  async continue(caller: Caller, battleId: string, prompt: string, onAccepted?: () => void): Promise<void> {
    this.#refuseWhileDraining();
    const before = this.#owned(caller.voterId, battleId);
    this.#requireStatus(before, 'ready');
    const turn = before.turns + 1;
    await this.#deps.guard.checkTurn(caller, prompt, turn, this.#streamingFor(caller.voterId));
    this.#refuseWhileDraining();
    // Read again after the wait: a second send of the same turn must not start it twice.
    const battle = this.#owned(caller.voterId, battleId);
    this.#requireStatus(battle, 'ready');
    if (battle.turns + 1 !== turn) throw new AppError('not_finished', 'both answers must finish first');
    this.#deps.repo.addTurn(battleId, turn, prompt);
    onAccepted?.();
    this.#deps.runner.run({ ...battle, turns: turn, status: 'streaming' }, turn, prompt);
  }

  /** Records a vote (server/voting: group commit, exactly once by voteId); resolves after COMMIT. */
  vote(caller: Caller, battleId: string, winner: Winner, voteId?: string): Promise<VoteOutcome> {
    // Once shut down the batch may no longer commit: the page keeps the vote and re-sends it.
    if (this.#closed) throw new AppError('unavailable', 'the server is restarting; try again in a moment', { retryAfterMs: DRAIN_RETRY_MS });
    const { repo } = this.#deps;
    const { voterId } = caller;
    return this.#deps.voting.record<VoteOutcome>(voteId, {
      earlier: (id) => {
        const earlier = repo.getVoteByVoteId(id);
        if (!earlier) return undefined;
        return {
          same: earlier.battleId === battleId && earlier.voterId === voterId && earlier.winner === winner,
          answer: () => ({ models: this.#reveal(this.#owned(voterId, battleId)), counted: earlier.counted, flags: earlier.flags as IntegrityFlag[] }),
        };
      },
      write: (categorize) => {
        const battle = this.#owned(voterId, battleId);
        this.#requireStatus(battle, 'ready');
        this.#deps.guard.checkVoteCaps(caller);
        const answers = repo.getAnswers(battleId);
        const turns = repo.getTurns(battleId);
        const flags = this.#deps.flags.of(battle, answers, turns);
        const categories = categorize({ prompts: turns.map((t) => t.prompt), answers: answers.map((a) => a.content) });
        const { modelA, modelB } = battle;
        const promptHash = hashPrompt(turns.map((t) => t.prompt));
        const vote = { battleId, voteId: voteId ?? null, voterId, ip: caller.ip, winner, modelA, modelB, promptHash, flags, categories };
        const { rowId, at } = repo.insertVote(vote);
        const counted = flags.length === 0;
        return {
          counts: counted ? { modelA, modelB, winner } : null,
          filed: { source: 'arena', rowId, categories, visibility: counted ? 'public' : 'flagged', at },
          answer: { models: this.#reveal(battle), counted, flags },
        };
      },
    });
  }

  /**
   * Ends a battle without a vote: its streams (if any) are cut and stored, and it is abandoned
   * (never votable again). Used by Stop and by leaving a battle for a new one. Idempotent.
   */
  async stop(caller: Caller, battleId: string): Promise<void> {
    this.#owned(caller.voterId, battleId);
    await this.#deps.runner.cut(battleId, new ProviderError('stopped', 'stopped by the voter'));
    // Also when both answers were already stored before the stop arrived.
    if (this.#deps.repo.getBattle(battleId)?.status === 'ready') this.#deps.repo.setStatus(battleId, 'abandoned');
  }

  /** Finished battles left unvoted longer than the vote window are abandoned (called periodically). */
  expireUnvoted(): number {
    return this.#deps.repo.expireReady(new Date(this.#deps.now() - (this.#deps.voteWindowMs ?? DEFAULT_VOTE_WINDOW_MS)));
  }

  /** Everything the owner may see of a battle, including a turn still streaming. */
  view(voterId: string, battleId: string): BattleView {
    const battle = this.#owned(voterId, battleId);
    const { repo } = this.#deps;
    const stored = { turns: repo.getTurns(battleId), answers: repo.getAnswers(battleId), vote: repo.getVote(battleId) };
    return battleView(battle, stored, this.#deps.runner.live(battleId), () => this.#reveal(battle));
  }

  detach(battleId: string): void {
    this.#deps.runner.detach(battleId);
  }

  attach(battleId: string): void {
    this.#deps.runner.attach(battleId);
  }

  /**
   * Shuts down: refuses new battles and turns at once (`unavailable`: the page sends them again to
   * another instance), lets the running answers finish for up to `budgetMs`, cuts those still
   * running then (stored as interrupted by the restart, never charged to the model) and waits until
   * each is stored. Votes are taken until the end (the caller then flushes them), refused after.
   */
  async drain(budgetMs: number): Promise<void> {
    this.#draining = true;
    if (!(await this.#deps.runner.settled(budgetMs))) await this.#deps.runner.cutAll(new ProviderError('interrupted', 'the server shut down'));
    this.#closed = true;
  }

  /** Whether this instance streams the battle's running turn now. */
  streams(battleId: string): boolean {
    return this.#deps.runner.live(battleId) !== undefined;
  }

  #draw(voterId: string, retryOf: string | undefined): [string, string] {
    const enabled = this.#deps.registry.enabled();
    if (enabled.length < 2) throw new AppError('unavailable', 'fewer than two models are enabled');
    const failed = retryOf ? this.#failedModels(voterId, retryOf) : new Set<string>();
    const healthy = enabled.filter((m) => !failed.has(m.id));
    const pool = healthy.length >= 2 ? healthy : enabled;
    return this.#deps.matchmaker ? this.#deps.matchmaker.pick(pool) : uniformPair(pool, this.#deps.random);
  }

  /** The voter's two models, each one of the public (enabled) ones. */
  #named(models: NamedPair): [string, string] {
    for (const side of ['a', 'b'] as const) {
      if (!this.#deps.registry.get(models[side])?.enabled) throw new AppError('invalid_input', `models.${side}: no such model`, { field: `models.${side}` });
    }
    if (models.a === models.b) throw new AppError('invalid_input', 'models.b: must be two different models', { field: 'models.b' });
    return [models.a, models.b];
  }

  #refuseWhileDraining(): void {
    if (this.#draining) throw new AppError('unavailable', 'the server is restarting; try again in a moment', { retryAfterMs: DRAIN_RETRY_MS });
  }

  /** The voter's battles streaming now: here, and on the other instances as the database has it. */
  #streamingFor(voterId: string): number {
    return this.#deps.runner.streamingFor(voterId) + (this.#deps.shared ? this.#deps.repo.streamingElsewhere(voterId) : 0);
  }

  /** Models whose own failure (not a stop or restart) ended one of this voter's battles. */
  #failedModels(voterId: string, battleId: string): Set<string> {
    const battle = this.#deps.repo.getBattle(battleId);
    if (!battle || battle.voterId !== voterId) return new Set();
    const cut = new Set<string | null>(ARENA_CUT_KINDS);
    return new Set(
      this.#deps.repo
        .getAnswers(battleId)
        .filter((a) => a.errorKind !== null && !cut.has(a.errorKind))
        .map((a) => a.modelId),
    );
  }

  #owned(voterId: string, battleId: string): BattleRow {
    const battle = this.#deps.repo.getBattle(battleId);
    // Someone else's battle answers exactly like a missing one: ids are not an oracle.
    if (!battle || battle.voterId !== voterId) throw new AppError('not_found', 'no such battle', { field: 'battleId' });
    return battle;
  }

  #requireStatus(battle: BattleRow, wanted: 'ready'): void {
    if (battle.status === wanted) return;
    if (battle.status === 'streaming') throw new AppError('not_finished', 'both answers must finish first');
    if (battle.status === 'failed') throw new AppError('battle_failed', this.#failure(battle));
    if (battle.status === 'abandoned') throw new AppError('battle_closed', 'this battle was stopped or left unvoted too long; start a new one');
    throw new AppError('already_voted', 'this battle has already been voted on');
  }

  /** Why a failed battle failed, in words: a model, or the server that streamed it stopping. */
  #failure(battle: BattleRow): string {
    const answers = this.#deps.repo.getAnswers(battle.id).filter((a) => a.turn === battle.turns);
    const cut = answers.length < 2 || answers.some((a) => a.errorKind === 'interrupted');
    return cut ? 'the server streaming this battle stopped before both answers finished; start a new one' : 'a model failed in this battle; start a new one';
  }

  #reveal(battle: BattleRow): RevealedModels {
    const named = (id: string) => ({ id, name: this.#deps.registry.get(id)?.name ?? id });
    return { a: named(battle.modelA), b: named(battle.modelB) };
  }
}
