/**
 * Battle orchestration: draws the pair, streams both answers at once, stores each answer when it
 * ends, and takes the vote. Streaming state lives in memory; the database gets facts only.
 */
import { randomUUID } from 'node:crypto';
import type { BattleDelta, BattleEnd } from '../../protocol/events.ts';
import type { BattleView, IntegrityFlag, RevealedModels, Side, Winner } from '../../protocol/types.ts';
import type { ModelConfig } from '../config/load.ts';
import { AppError } from '../transport/errors.ts';
import { identityMatcher, isTooFast, type ReadingRule } from '../integrity/rules.ts';
import type { BattleGuard, Caller } from '../limits/battle-guard.ts';
import type { ModelRegistry } from '../models/registry.ts';
import { adapterFor } from '../providers/index.ts';
import { runCompletion } from '../providers/run-completion.ts';
import { ARENA_CUT_KINDS, ProviderError, type ChatMessage, type CompletionResult, type ProviderAdapter } from '../providers/types.ts';
import { interruptionOf, publicErrorMessage } from './public-error.ts';
import type { RatingRow } from '../standings/ratings-repo.ts';
import type { BattleRepo, BattleRow } from './repo.ts';
import { samplePair } from './sampling.ts';
import type { VoteBatcher } from '../voting/vote-batcher.ts';

export interface BattleEmitter {
  delta(battleId: string, payload: BattleDelta): void;
  end(battleId: string, payload: BattleEnd): void;
}

export interface BattleServiceDeps {
  repo: BattleRepo;
  registry: ModelRegistry;
  emitter: BattleEmitter;
  random: () => number;
  eloK: number;
  guard: BattleGuard;
  /** Group commit for votes. */
  votes: VoteBatcher;
  /** Keywords that flag a self-identifying answer, besides the registry's model names. */
  identityKeywords: string[];
  /** Reading-time rule; null switches it off (load tests). */
  reading: ReadingRule | null;
  onVote: (ratings: { a: RatingRow; b: RatingRow }) => void;
  /** Overrides the adapter per model (tests); defaults to the provider's own. */
  adapterFor?: (model: ModelConfig) => ProviderAdapter;
  fetch?: typeof fetch;
  /** How long a battle keeps streaming with no browser watching before both requests are aborted. */
  abandonGraceMs?: number;
  /** How long a finished battle waits for its vote before it is abandoned (its answers then count in public figures). */
  voteWindowMs?: number;
  now?: () => number;
}

/** What the voter learns about their vote besides the names: whether it counts, and if not, why. */
export interface VoteOutcome {
  models: RevealedModels;
  counted: boolean;
  flags: IntegrityFlag[];
}

export const DEFAULT_VOTE_WINDOW_MS = 60 * 60_000;

interface LiveSide {
  text: string;
  reasoning: string;
  result: CompletionResult | null;
}

interface LiveTurn {
  battleId: string;
  voterId: string;
  turn: number;
  prompt: string;
  sides: Record<Side, LiveSide>;
  controller: AbortController;
  done: Promise<void>;
  abandonTimer: NodeJS.Timeout | null;
}

export class BattleService {
  readonly #deps: BattleServiceDeps;
  readonly #live = new Map<string, LiveTurn>();
  #matcher: { version: number; match: (text: string) => string[] } | null = null;
  #closing = false;
  readonly #now: () => number;

  constructor(deps: BattleServiceDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  /**
   * Starts a battle. `retryOf` names a battle of the caller's that a model failed in: the same
   * prompt goes to a new pair, without the model(s) that failed when enough others are enabled.
   */
  start(caller: Caller, prompt: string, opts: { retryOf?: string | undefined } = {}): { battleId: string } {
    const { voterId } = caller;
    this.#refuseWhileClosing();
    this.#deps.guard.checkStart(caller, prompt, this.#liveBattlesOf(voterId));
    const enabled = this.#deps.registry.enabled();
    if (enabled.length < 2) throw new AppError('unavailable', 'fewer than two models are enabled');
    const failed = opts.retryOf ? this.#failedModels(voterId, opts.retryOf) : new Set<string>();
    const healthy = enabled.filter((m) => !failed.has(m.id));
    const pool = healthy.length >= 2 ? healthy : enabled;
    const [modelA, modelB] = samplePair(pool, this.#deps.random);
    const battleId = randomUUID();
    this.#deps.repo.createBattle({ id: battleId, modelA, modelB, voterId, prompt });
    this.#runTurn(this.#deps.repo.getBattle(battleId)!, 1, prompt);
    return { battleId };
  }

  continue(caller: Caller, battleId: string, prompt: string): void {
    this.#refuseWhileClosing();
    const battle = this.#owned(caller.voterId, battleId);
    this.#requireStatus(battle, 'ready');
    const turn = battle.turns + 1;
    this.#deps.guard.checkTurn(caller, prompt, turn, this.#liveBattlesOf(caller.voterId));
    this.#deps.repo.addTurn(battleId, turn, prompt);
    this.#runTurn({ ...battle, turns: turn, status: 'streaming' }, turn, prompt);
  }

  /**
   * Records a vote. The checks and writes run inside the group-commit batch (so a second vote on
   * the same battle in the same batch still sees the first); the promise resolves after COMMIT.
   */
  async vote(caller: Caller, battleId: string, winner: Winner, voteId?: string): Promise<VoteOutcome> {
    // During shutdown the batch may no longer commit: the page keeps the vote and re-sends it.
    this.#refuseWhileClosing();
    const { ratings, outcome } = await this.#deps.votes.submit(() => this.#voteNow(caller, battleId, winner, voteId));
    if (ratings) this.#deps.onVote(ratings);
    return outcome;
  }

  #voteNow(caller: Caller, battleId: string, winner: Winner, voteId: string | undefined) {
    const { repo } = this.#deps;
    const { voterId } = caller;
    if (voteId) {
      const earlier = repo.getVoteByVoteId(voteId);
      if (earlier) {
        // A re-sent vote (lost ack): answer the same result without counting it again.
        if (earlier.battleId !== battleId || earlier.voterId !== voterId || earlier.winner !== winner) {
          throw new AppError('conflict', 'this voteId was already used for a different vote', { field: 'voteId' });
        }
        const flags = earlier.flags as IntegrityFlag[];
        return { ratings: null, outcome: { models: this.#reveal(this.#owned(voterId, battleId)), counted: earlier.counted, flags } };
      }
    }
    const battle = this.#owned(voterId, battleId);
    this.#requireStatus(battle, 'ready');
    this.#deps.guard.checkVoteCaps(caller);
    const flags = this.#integrityFlags(battle);
    const ratings = repo.recordVote({
      battleId,
      voteId: voteId ?? null,
      voterId,
      ip: caller.ip,
      winner,
      modelA: battle.modelA,
      modelB: battle.modelB,
      flags,
      k: this.#deps.eloK,
    });
    return { ratings, outcome: { models: this.#reveal(battle), counted: flags.length === 0, flags } };
  }

  /**
   * Ends a battle without a vote: its streams (if any) are cut and stored, and it is abandoned
   * (never votable again). Used by Stop and by leaving a battle for a new one. Idempotent.
   */
  async stop(caller: Caller, battleId: string): Promise<void> {
    this.#owned(caller.voterId, battleId);
    const live = this.#live.get(battleId);
    if (live) {
      live.controller.abort(new ProviderError('stopped', 'stopped by the voter'));
      await live.done;
    }
    // Also when both answers were already stored before the stop arrived.
    if (this.#deps.repo.getBattle(battleId)?.status === 'ready') this.#deps.repo.setStatus(battleId, 'abandoned');
  }

  /** Finished battles left unvoted longer than the vote window are abandoned (called periodically). */
  expireUnvoted(): number {
    return this.#deps.repo.expireReady(new Date(this.#now() - (this.#deps.voteWindowMs ?? DEFAULT_VOTE_WINDOW_MS)));
  }

  /** Everything the owner may see of a battle, including a turn still streaming. */
  view(voterId: string, battleId: string): BattleView {
    const battle = this.#owned(voterId, battleId);
    const { repo } = this.#deps;
    const answers = repo.getAnswers(battleId);
    const live = this.#live.get(battleId);
    const vote = repo.getVote(battleId);
    return {
      battleId,
      status: battle.status,
      turns: repo.getTurns(battleId).map((t) => {
        const side = (s: Side) => {
          const stored = answers.find((a) => a.turn === t.turn && a.side === s);
          if (stored) {
            const kind = stored.errorKind as ProviderError['kind'] | null;
            return {
              text: stored.content,
              reasoning: stored.reasoning,
              reasoningMs: stored.reasoningMs,
              finishReason: stored.finishReason,
              error: kind ? publicErrorMessage({ kind, message: stored.errorMessage ?? '' }) : null,
              interruption: interruptionOf(kind),
            };
          }
          const l = live?.turn === t.turn ? live.sides[s] : null;
          if (!l && battle.status !== 'streaming') {
            // The process died mid-answer (crash or kill): nothing was stored for this side.
            return { text: '', reasoning: '', reasoningMs: null, finishReason: 'error' as const, error: publicErrorMessage({ kind: 'interrupted', message: '' }), interruption: 'restart' as const };
          }
          return { text: l?.text ?? '', reasoning: l?.reasoning ?? '', reasoningMs: null, finishReason: null, error: null, interruption: null };
        };
        return { turn: t.turn, prompt: t.prompt, a: side('a'), b: side('b') };
      }),
      vote: vote ? { winner: vote.winner, models: this.#reveal(battle), counted: vote.counted, flags: vote.flags as IntegrityFlag[] } : null,
    };
  }

  /** No browser is watching this battle any more: abort its requests unless one comes back soon. */
  detach(battleId: string): void {
    const live = this.#live.get(battleId);
    if (!live || live.abandonTimer) return;
    live.abandonTimer = setTimeout(
      () => live.controller.abort(new ProviderError('aborted', 'no page was watching the battle')),
      this.#deps.abandonGraceMs ?? 15_000,
    );
    live.abandonTimer.unref();
  }

  attach(battleId: string): void {
    const live = this.#live.get(battleId);
    if (live?.abandonTimer) {
      clearTimeout(live.abandonTimer);
      live.abandonTimer = null;
    }
  }

  /**
   * Refuses new work, cuts every running answer (stored as interrupted by the restart, never
   * charged to the model) and waits until each is stored.
   */
  async shutdown(): Promise<void> {
    this.#closing = true;
    const running = [...this.#live.values()];
    for (const live of running) live.controller.abort(new ProviderError('interrupted', 'the server shut down'));
    await Promise.all(running.map((l) => l.done));
  }

  #refuseWhileClosing(): void {
    if (this.#closing) throw new AppError('unavailable', 'the server is restarting; try again in a moment', { retryAfterMs: 2000 });
  }

  /** Battles streaming for this voter; one being stopped no longer counts against the limit. */
  #liveBattlesOf(voterId: string): number {
    let n = 0;
    for (const live of this.#live.values()) if (live.voterId === voterId && !live.controller.signal.aborted) n++;
    return n;
  }

  /** Models whose own failure (not a stop or restart) ended one of this voter's battles. */
  #failedModels(voterId: string, battleId: string): Set<string> {
    const battle = this.#deps.repo.getBattle(battleId);
    if (!battle || battle.voterId !== voterId) return new Set();
    const kinds = new Set<string | null>(ARENA_CUT_KINDS);
    return new Set(this.#deps.repo.getAnswers(battleId).filter((a) => a.errorKind !== null && !kinds.has(a.errorKind)).map((a) => a.modelId));
  }

  /** Which integrity rules this vote trips; any flag keeps it out of the blind leaderboard. */
  #integrityFlags(battle: BattleRow): IntegrityFlag[] {
    const { repo, registry } = this.#deps;
    const flags: IntegrityFlag[] = [];
    const answers = repo.getAnswers(battle.id);
    if (this.#matcher?.version !== registry.version) {
      const names = registry.all().flatMap((m) => registry.identifyingStrings(m));
      this.#matcher = { version: registry.version, match: identityMatcher([...this.#deps.identityKeywords, ...names]) };
    }
    if (answers.some((a) => this.#matcher!.match(`${a.content}\n${a.reasoning}`).length > 0)) flags.push('self_identified');
    if (this.#deps.reading) {
      const lastTurn = repo.getTurns(battle.id).at(-1);
      const chars = answers.filter((a) => a.turn === battle.turns).reduce((n, a) => n + a.content.length, 0);
      if (lastTurn && isTooFast(chars, Date.now() - lastTurn.createdAt.getTime(), this.#deps.reading)) flags.push('too_fast');
    }
    return flags;
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
    if (battle.status === 'failed') throw new AppError('battle_failed', 'a model failed in this battle; start a new one');
    if (battle.status === 'abandoned') throw new AppError('battle_closed', 'this battle was stopped or left unvoted too long; start a new one');
    throw new AppError('already_voted', 'this battle has already been voted on');
  }

  #reveal(battle: BattleRow): RevealedModels {
    const named = (id: string) => ({ id, name: this.#deps.registry.get(id)?.name ?? id });
    return { a: named(battle.modelA), b: named(battle.modelB) };
  }

  #conversation(battle: BattleRow, side: Side, prompt: string, model: ModelConfig): ChatMessage[] {
    const { repo } = this.#deps;
    const messages: ChatMessage[] = model.systemPrompt ? [{ role: 'system', content: model.systemPrompt }] : [];
    const answers = repo.getAnswers(battle.id).filter((a) => a.side === side);
    for (const t of repo.getTurns(battle.id)) {
      if (t.turn >= battle.turns) break;
      messages.push({ role: 'user', content: t.prompt });
      messages.push({ role: 'assistant', content: answers.find((a) => a.turn === t.turn)?.content ?? '' });
    }
    messages.push({ role: 'user', content: prompt });
    return messages;
  }

  #runTurn(battle: BattleRow, turn: number, prompt: string): void {
    const controller = new AbortController();
    const live: LiveTurn = {
      battleId: battle.id,
      voterId: battle.voterId,
      turn,
      prompt,
      sides: { a: { text: '', reasoning: '', result: null }, b: { text: '', reasoning: '', result: null } },
      controller,
      done: Promise.resolve(),
      abandonTimer: null,
    };
    this.#live.set(battle.id, live);
    const sides: Array<[Side, string]> = [
      ['a', battle.modelA],
      ['b', battle.modelB],
    ];
    live.done = Promise.all(sides.map(([side, modelId]) => this.#runSide(battle, live, side, modelId)))
      .then(() => undefined)
      .catch((err: unknown) => console.error(`battle ${battle.id}: could not store the turn:`, err))
      .finally(() => {
        if (live.abandonTimer) clearTimeout(live.abandonTimer);
        this.#live.delete(battle.id);
      });
  }

  async #runSide(battle: BattleRow, live: LiveTurn, side: Side, modelId: string): Promise<void> {
    const { registry, emitter, repo } = this.#deps;
    const model = registry.get(modelId);
    const state = live.sides[side];
    let result: CompletionResult;
    if (!model) {
      result = missingModelResult();
    } else {
      result = await runCompletion({
        adapter: (this.#deps.adapterFor ?? adapterFor)(model),
        request: {
          model,
          messages: this.#conversation(battle, side, live.prompt, model),
          apiKey: registry.apiKeyFor(model),
          ...(this.#deps.fetch ? { fetch: this.#deps.fetch } : {}),
        },
        signal: live.controller.signal,
        onText: (text) => {
          state.text += text;
          emitter.delta(battle.id, { battleId: battle.id, turn: live.turn, side, text });
        },
        onReasoning: (reasoning) => {
          state.reasoning += reasoning;
          emitter.delta(battle.id, { battleId: battle.id, turn: live.turn, side, text: '', reasoning });
        },
      });
    }
    state.result = result;
    let stored = true;
    try {
      this.#store(battle, live, side, modelId, model, result);
    } catch (err) {
      // The database refused (e.g. locked by a long import): tell the voter; the battle cannot be
      // voted on, and the error must not escape as an unhandled rejection.
      stored = false;
      console.error(`battle ${battle.id}: could not store side ${side}:`, err);
      // So the other side's end marks the battle failed rather than ready.
      state.result = { ...result, finishReason: 'error', error: { kind: 'protocol', message: 'the answer could not be stored' } };
      try {
        repo.setStatus(battle.id, 'failed');
      } catch {
        // already logged above; restart marks streaming battles failed
      }
    }
    emitter.end(battle.id, {
      battleId: battle.id,
      turn: live.turn,
      side,
      finishReason: stored ? result.finishReason : 'error',
      ...(result.error ? { error: publicErrorMessage(result.error) } : !stored ? { error: 'The answer could not be stored; start a new battle.' } : {}),
      ...(interruptionOf(result.error?.kind) ? { interruption: interruptionOf(result.error?.kind)! } : {}),
      ...(result.reasoningMs !== null ? { reasoningMs: Math.round(result.reasoningMs) } : {}),
    });
  }

  /** Writes one finished answer and, when it is the turn's second, the battle's new status. */
  #store(battle: BattleRow, live: LiveTurn, side: Side, modelId: string, model: ModelConfig | undefined, result: CompletionResult): void {
    const { repo } = this.#deps;
    const pricing = model?.pricing;
    repo.saveAnswer({
      battleId: battle.id,
      turn: live.turn,
      side,
      modelId,
      content: result.text,
      reasoning: result.reasoning,
      inputTokens: result.inputTokens,
      outputTokens: result.outputTokens,
      tokensEstimated: result.tokensEstimated,
      ttftMs: result.ttftMs,
      totalMs: result.totalMs,
      reasoningMs: result.reasoningMs,
      finishReason: result.finishReason,
      errorKind: result.error?.kind ?? null,
      errorMessage: result.error?.message ?? null,
      costUsd: pricing
        ? (result.inputTokens * pricing.inputPerMillion + result.outputTokens * pricing.outputPerMillion) / 1e6
        : null,
    });
    const other = live.sides[side === 'a' ? 'b' : 'a'].result;
    if (other) {
      // The status is committed before the last `battle:end` goes out, so a vote sent the moment
      // the client sees both ends is never refused as unfinished.
      repo.setStatus(battle.id, turnOutcome(result, other));
    }
  }
}

/** A turn the voter stopped (or left) is abandoned; any other failure, restarts included, fails it. */
function turnOutcome(...sides: CompletionResult[]): 'ready' | 'failed' | 'abandoned' {
  const kinds = sides.map((r) => r.error?.kind);
  if (kinds.some((k) => k === 'stopped' || k === 'aborted')) return 'abandoned';
  return kinds.some((k) => k !== undefined) ? 'failed' : 'ready';
}

function missingModelResult(): CompletionResult {
  return {
    text: '',
    reasoning: '',
    finishReason: 'error',
    error: { kind: 'connect', message: 'the model was removed from the registry' },
    inputTokens: 0,
    outputTokens: 0,
    tokensEstimated: true,
    ttftMs: null,
    totalMs: 0,
    reasoningMs: null,
  };
}
