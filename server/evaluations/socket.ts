/** Socket handlers for evaluations: follow progress, get the next item, vote, skip. Thin: check, validate, call, answer. */
import { evalNextSchema, evalSubscribeSchema, evalVoteSchema } from '../../protocol/evaluations.ts';
import { evalSkipSchema } from '../../protocol/judges.ts';
import { requireAction, requireEvaluator } from '../transport/identity.ts';
import { type ArenaSocket, on } from '../transport/socket.ts';
import type { EvaluationService } from './service.ts';

export const evaluationRoom = (evaluationId: string) => `evaluation:${evaluationId}`;
/** Admins following an evaluation: their progress events carry the judges' runs too. */
export const adminRoom = (evaluationId: string) => `evaluation-admin:${evaluationId}`;

export function registerEvaluationHandlers(socket: ArenaSocket, evaluations: EvaluationService): void {
  const identity = () => socket.data.identity;
  const evaluator = () => requireEvaluator(identity());

  on(socket, 'eval:subscribe', { schema: evalSubscribeSchema, authorize: evaluator }, ({ evaluationId }) => {
    evaluations.requireRunning(evaluationId);
    void socket.join(evaluationRoom(evaluationId));
    return { progress: evaluations.progress(evaluationId) };
  });

  // Admins follow any evaluation, draft or closed too (the admin page's live progress).
  on(socket, 'eval:watch', { schema: evalSubscribeSchema, authorize: () => requireAction(identity(), 'admin') }, ({ evaluationId }) => {
    const progress = evaluations.adminProgress(evaluationId);
    void socket.join(adminRoom(evaluationId));
    return { progress };
  });

  on(socket, 'eval:unsubscribe', { schema: evalSubscribeSchema }, ({ evaluationId }) => {
    void socket.leave(evaluationRoom(evaluationId));
    void socket.leave(adminRoom(evaluationId));
    return {};
  });

  on(socket, 'eval:next', { schema: evalNextSchema, authorize: evaluator }, ({ evaluationId }) => evaluations.next(identity().voterId, evaluationId));

  on(socket, 'eval:vote', { schema: evalVoteSchema, authorize: evaluator }, (input) => evaluations.vote(identity().voterId, input));

  on(socket, 'eval:skip', { schema: evalSkipSchema, authorize: evaluator }, (input) => evaluations.skip(identity().voterId, input));
}
