/** What the owner of a battle may see of it (pure): stored answers, the turn still streaming, the vote. */
import type { BattleDelta, BattleEnd } from '../../protocol/events.ts';
import type { AnswerView, BattleView, IntegrityFlag, RevealedModels, Side } from '../../protocol/types.ts';
import type { ProviderErrorKind } from '../providers/types.ts';
import { interruptionOf, publicErrorMessage, publicFailure } from './public-error.ts';
import type { AnswerRow, BattleRow, TurnRow, VoteRow } from './repo.ts';
import type { LiveTurn } from './turn-runner.ts';

export function battleView(
  battle: BattleRow,
  stored: { turns: TurnRow[]; answers: AnswerRow[]; vote: VoteRow | undefined },
  live: LiveTurn | undefined,
  reveal: () => RevealedModels,
): BattleView {
  const answerView = (turn: number, side: Side): AnswerView => {
    const answer = stored.answers.find((a) => a.turn === turn && a.side === side);
    if (answer) {
      const kind = answer.errorKind as ProviderErrorKind | null;
      return {
        text: answer.content,
        reasoning: answer.reasoning,
        reasoningMs: answer.reasoningMs,
        finishReason: answer.finishReason,
        error: kind ? publicErrorMessage({ kind, message: answer.errorMessage ?? '' }) : null,
        failure: kind ? publicFailure(kind) : null,
        interruption: interruptionOf(kind),
      };
    }
    const streaming = live?.turn === turn ? live.sides[side] : null;
    if (!streaming && battle.status !== 'streaming') {
      // The process died mid-answer (crash or kill): nothing was stored for this side.
      return {
        text: '',
        reasoning: '',
        reasoningMs: null,
        finishReason: 'error',
        error: publicErrorMessage({ kind: 'interrupted', message: '' }),
        failure: 'restart',
        interruption: 'restart',
      };
    }
    return {
      text: streaming?.text.join('') ?? '',
      reasoning: streaming?.reasoning.join('') ?? '',
      reasoningMs: null,
      finishReason: null,
      error: null,
      failure: null,
      interruption: null,
    };
  };
  const { vote } = stored;
  return {
    battleId: battle.id,
    status: battle.status,
    turns: stored.turns.map((t) => ({ turn: t.turn, prompt: t.prompt, a: answerView(t.turn, 'a'), b: answerView(t.turn, 'b') })),
    vote: vote ? { winner: vote.winner, models: reveal(), counted: vote.counted, flags: vote.flags as IntegrityFlag[] } : null,
    // A named battle's voter chose the models: their names are no secret from the start.
    ...(battle.mode === 'named' ? { named: reveal() } : {}),
  };
}

/**
 * The view with the pieces and ends that reached the page after it was taken (pure): what the page
 * shows once it loads the view must be what it would show had it watched all along.
 */
export function withLater(view: BattleView, later: ReadonlyArray<{ delta: BattleDelta } | { end: BattleEnd }>): BattleView {
  const turns = view.turns.map((t) => ({ ...t, a: { ...t.a }, b: { ...t.b } }));
  for (const event of later) {
    const { battleId, turn, side } = 'delta' in event ? event.delta : event.end;
    const answer = battleId === view.battleId ? turns.find((t) => t.turn === turn)?.[side] : undefined;
    if (answer) applyLater(answer, event);
  }
  return { ...view, turns };
}

/** A piece (`delta`) or an answer's end that followed a view, applied to the answer in it (a battle's side or a chat's turn). */
export function applyLater(
  answer: AnswerView,
  event: { delta: Pick<BattleDelta, 'text' | 'reasoning'> } | { end: Omit<BattleEnd, 'battleId' | 'side'> },
): void {
  if ('delta' in event) {
    if (event.delta.reasoning) answer.reasoning += event.delta.reasoning;
    else answer.text += event.delta.text;
    return;
  }
  const { end } = event;
  Object.assign(answer, { finishReason: end.finishReason, error: end.error ?? null, failure: end.failure ?? null });
  Object.assign(answer, { reasoningMs: end.reasoningMs ?? null, interruption: end.interruption ?? null });
}
