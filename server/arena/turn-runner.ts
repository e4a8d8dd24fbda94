/**
 * Streams one turn of a battle: both sides at once, each piece forwarded to the battle's room as it
 * arrives, each answer stored when it ends (one side failing never disturbs the other), and the
 * battle's status set once both are stored. Live state is in memory only; the database gets facts.
 */
import type { BattleDelta, BattleEnd } from '../../protocol/events.ts';
import type { Side } from '../../protocol/types.ts';
import type { ModelConfig } from '../models/config.ts';
import type { ModelHealth } from '../models/health.ts';
import type { ModelRegistry } from '../models/registry.ts';
import { adapterFor } from '../providers/index.ts';
import { type LiveRequest, LiveRequests } from '../providers/live-requests.ts';
import { runCompletion } from '../providers/run-completion.ts';
import { ARENA_CUT_KINDS, type ChatMessage, type CompletionResult, type ProviderAdapter } from '../providers/types.ts';
import { styleColumnsOf } from '../standings/answer-style.ts';
import { tokenizer } from '../standings/tokenizer.ts';
import { DeltaCoalescer, type FlushWindow } from './delta-coalescer.ts';
import { failureMessage, interruptionOf, publicErrorMessage, publicFailure } from './public-error.ts';
import type { BattleRepo, BattleRow } from './repo.ts';
import { TimeSlicer } from './time-slicer.ts';

export interface BattleEmitter {
  delta(battleId: string, payload: BattleDelta): void;
  end(battleId: string, payload: BattleEnd): void;
}

export interface TurnRunnerDeps {
  repo: BattleRepo;
  registry: ModelRegistry;
  emitter: BattleEmitter;
  /** Overrides the adapter per model (tests); defaults to the provider's own. */
  adapterFor?: (model: ModelConfig) => ProviderAdapter;
  fetch?: typeof fetch;
  /** How long a battle keeps streaming with no browser watching before both requests are aborted. */
  abandonGraceMs?: number;
  /** Told how each answer ended (outages: weighted and active matchmaking leave failing models out). */
  health?: Pick<ModelHealth, 'record'> | undefined;
  /** When the pieces are sent (every side's together, corked); each event-loop turn without one. */
  deltaWindow?: FlushWindow | undefined;
}

const ARENA_CUTS = new Set<string>(ARENA_CUT_KINDS);

export interface LiveSide {
  /** The pieces sent to the battle's room so far, as they went (joined only when a page asks: battle-view.ts). */
  text: string[];
  reasoning: string[];
  result: CompletionResult | null;
}

export interface LiveTurn extends LiveRequest {
  battleId: string;
  turn: number;
  prompt: string;
  sides: Record<Side, LiveSide>;
}

/** The arena's turns in flight: both sides of a battle's running turn, streamed and stored. */
export class TurnRunner extends LiveRequests<LiveTurn> {
  readonly #deps: TurnRunnerDeps;
  readonly #ends = new TimeSlicer();

  constructor(deps: TurnRunnerDeps) {
    super('battle', deps.abandonGraceMs);
    this.#deps = deps;
  }

  run(battle: BattleRow, turn: number, prompt: string): void {
    warmTokenizer();
    const live: LiveTurn = {
      battleId: battle.id,
      voterId: battle.voterId,
      turn,
      prompt,
      sides: { a: { text: [], reasoning: [], result: null }, b: { text: [], reasoning: [], result: null } },
      controller: new AbortController(),
      done: Promise.resolve(),
      abandonTimer: null,
    };
    this.track(battle.id, live);
    const sides: Array<[Side, string]> = [
      ['a', battle.modelA],
      ['b', battle.modelB],
    ];
    live.done = Promise.all(sides.map(([side, modelId]) => this.#runSide(battle, live, side, modelId)))
      .then(() => undefined)
      .catch((err: unknown) => console.error(`battle ${battle.id}: could not store the turn:`, err))
      .finally(() => this.untrack(battle.id));
  }

  async #runSide(battle: BattleRow, live: LiveTurn, side: Side, modelId: string): Promise<void> {
    const { registry, emitter } = this.#deps;
    const model = registry.get(modelId);
    const state = live.sides[side];
    // The live state holds what was sent, not what arrived: a page that resumes gets it as its
    // view, and the pieces still waiting for the window reach it afterwards as deltas, never twice.
    const deltas = new DeltaCoalescer((kind, text) => {
      (kind === 'text' ? state.text : state.reasoning).push(text);
      emitter.delta(
        battle.id,
        kind === 'text' ? { battleId: battle.id, turn: live.turn, side, text } : { battleId: battle.id, turn: live.turn, side, text: '', reasoning: text },
      );
    }, this.#deps.deltaWindow?.defer);
    const result = model
      ? await runCompletion({
          adapter: (this.#deps.adapterFor ?? adapterFor)(model),
          request: {
            model,
            messages: this.#conversation(battle, side, live.prompt, model),
            apiKey: registry.apiKeyFor(model),
            ...(this.#deps.fetch ? { fetch: this.#deps.fetch } : {}),
          },
          signal: live.controller.signal,
          onText: (text) => deltas.push('text', text),
          onReasoning: (reasoning) => deltas.push('reasoning', reasoning),
        })
      : missingModelResult();
    deltas.flush();
    // Stored in a slice of its own; the result is set in the same slice, so the other side's store
    // never sees it before this answer's row exists.
    await this.#ends.run(() => this.#finish(battle, live, side, modelId, model, result));
  }

  #finish(battle: BattleRow, live: LiveTurn, side: Side, modelId: string, model: ModelConfig | undefined, result: CompletionResult): void {
    const { emitter, repo } = this.#deps;
    const state = live.sides[side];
    state.result = result;
    // A cut by the arena (stop, restart, nobody watching) says nothing about the model.
    if (!result.error) this.#deps.health?.record(modelId, 'ok');
    else if (!ARENA_CUTS.has(result.error.kind)) this.#deps.health?.record(modelId, 'failed');
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
    const interruption = interruptionOf(result.error?.kind);
    emitter.end(battle.id, {
      battleId: battle.id,
      turn: live.turn,
      side,
      finishReason: stored ? result.finishReason : 'error',
      ...(result.error
        ? { error: publicErrorMessage(result.error), failure: publicFailure(result.error.kind) }
        : !stored
          ? { error: failureMessage('not_stored'), failure: 'not_stored' as const }
          : {}),
      ...(interruption ? { interruption } : {}),
      ...(result.reasoningMs !== null ? { reasoningMs: Math.round(result.reasoningMs) } : {}),
    });
  }

  /** Each model sees its own side of the conversation (never the other's answers). */
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
      costUsd: pricing ? (result.inputTokens * pricing.inputPerMillion + result.outputTokens * pricing.outputPerMillion) / 1e6 : null,
      ...styleColumnsOf(result.text),
    });
    const other = live.sides[side === 'a' ? 'b' : 'a'].result;
    // The status is committed before the last `battle:end` goes out, so a vote sent the moment
    // the client sees both ends is never refused as unfinished.
    if (other) repo.endTurn(battle.id, turnOutcome(result, other));
  }
}

let tokenizerWarm = false;

/**
 * Each stored answer's style columns count its tokens, and the tokenizer loads on first use (its
 * table takes about 0.15 s). Loaded before the first stream begins, that pause delays no token;
 * loaded at the first answer's end, it held up every other stream's pieces.
 */
function warmTokenizer(): void {
  if (tokenizerWarm) return;
  tokenizerWarm = true;
  tokenizer().countTokens('warm');
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
