/** Thin socket handlers for battles: validate, call the service, answer. */
import { battleContinueSchema, battleResumeSchema, battleStartSchema, battleStopSchema, battleVoteSchema } from '../../protocol/schemas.ts';
import { requireAction } from '../auth/identity.ts';
import { handler, type ArenaServer, type ArenaSocket } from '../transport/socket.ts';
import { parseInput } from '../transport/validation.ts';
import type { BattleService } from './battle-service.ts';

export const battleRoom = (battleId: string) => `battle:${battleId}`;

export function registerBattleHandlers(io: ArenaServer, socket: ArenaSocket, battles: BattleService): void {
  const caller = () => ({ voterId: socket.data.identity.voterId, ip: socket.data.ip });
  const voter = () => socket.data.identity.voterId;
  const may = (action: 'battle' | 'vote' | 'view') => requireAction(socket.data.identity, action);

  socket.on(
    'battle:start',
    handler((payload) => {
      may('battle');
      const { prompt, retryOf } = parseInput(battleStartSchema, payload);
      // Join before any delta can be emitted: streaming begins on a later tick.
      const result = battles.start(caller(), prompt, { retryOf });
      socket.join(battleRoom(result.battleId));
      return result;
    }),
  );

  socket.on(
    'battle:continue',
    handler((payload) => {
      may('battle');
      const { battleId, prompt } = parseInput(battleContinueSchema, payload);
      battles.continue(caller(), battleId, prompt); // checks ownership before the join below
      socket.join(battleRoom(battleId));
      return {};
    }),
  );

  socket.on(
    'battle:vote',
    handler(async (payload) => {
      may('vote');
      const { battleId, winner, voteId } = parseInput(battleVoteSchema, payload);
      return await battles.vote(caller(), battleId, winner, voteId);
    }),
  );

  socket.on(
    'battle:stop',
    handler(async (payload) => {
      may('battle');
      const { battleId } = parseInput(battleStopSchema, payload);
      await battles.stop(caller(), battleId);
      return {};
    }),
  );

  socket.on(
    'battle:resume',
    handler((payload) => {
      may('view');
      const { battleId } = parseInput(battleResumeSchema, payload);
      const battle = battles.view(voter(), battleId);
      socket.join(battleRoom(battleId));
      battles.attach(battleId);
      return { battle };
    }),
  );

  socket.on('disconnecting', () => {
    for (const room of socket.rooms) {
      if (!room.startsWith('battle:')) continue;
      // `disconnecting` fires while this socket is still in the room.
      if ((io.sockets.adapter.rooms.get(room)?.size ?? 0) <= 1) battles.detach(room.slice('battle:'.length));
    }
  });
}
