/** Socket handlers for evaluations: follow progress, get the next item, vote. Thin: check, validate, call, answer. */
import { evalNextSchema, evalSubscribeSchema, evalVoteSchema } from '../../protocol/evaluations.ts';
import { requireAction, requireEvaluator } from '../auth/identity.ts';
import { handler, type ArenaSocket } from '../transport/socket.ts';
import { parseInput } from '../transport/validation.ts';
import type { EvaluationService } from './service.ts';

export const evaluationRoom = (evaluationId: string) => `evaluation:${evaluationId}`;

export function registerEvaluationHandlers(socket: ArenaSocket, evaluations: EvaluationService): void {
  const identity = () => socket.data.identity;

  socket.on(
    'eval:subscribe',
    handler((payload) => {
      requireEvaluator(identity());
      const { evaluationId } = parseInput(evalSubscribeSchema, payload);
      evaluations.requireRunning(evaluationId);
      void socket.join(evaluationRoom(evaluationId));
      return { progress: evaluations.progress(evaluationId) };
    }),
  );

  // Admins follow any evaluation, draft or closed too (the admin page's live progress).
  socket.on(
    'eval:watch',
    handler((payload) => {
      requireAction(identity(), 'admin');
      const { evaluationId } = parseInput(evalSubscribeSchema, payload);
      const progress = evaluations.progress(evaluationId);
      void socket.join(evaluationRoom(evaluationId));
      return { progress };
    }),
  );

  socket.on(
    'eval:unsubscribe',
    handler((payload) => {
      const { evaluationId } = parseInput(evalSubscribeSchema, payload);
      void socket.leave(evaluationRoom(evaluationId));
      return {};
    }),
  );

  socket.on(
    'eval:next',
    handler((payload) => {
      requireEvaluator(identity());
      const { evaluationId } = parseInput(evalNextSchema, payload);
      return evaluations.next(identity().voterId, evaluationId);
    }),
  );

  socket.on(
    'eval:vote',
    handler((payload) => {
      requireEvaluator(identity());
      return evaluations.vote(identity().voterId, parseInput(evalVoteSchema, payload));
    }),
  );
}
