/** What the owner of a battle may see of it (pure): stored answers, the turn still streaming, the vote. */
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
