/** Thin socket handlers for battles: authorize, validate, call the service, answer. */

import type { Action } from '../../protocol/permissions.ts';
import { battleContinueSchema, battleResumeSchema, battleStartSchema, battleStopSchema, battleVoteSchema } from '../../protocol/schemas.ts';
import { requireAction } from '../transport/identity.ts';
import { type ArenaServer, type ArenaSocket, on } from '../transport/socket.ts';
import type { BattleService } from './battle-service.ts';

export const battleRoom = (battleId: string) => `battle:${battleId}`;

export function registerBattleHandlers(io: ArenaServer, socket: ArenaSocket, battles: BattleService): void {
  const caller = () => ({ voterId: socket.data.identity.voterId, ip: socket.data.ip });
  const may = (action: Action) => () => requireAction(socket.data.identity, action);

  on(socket, 'battle:start', { schema: battleStartSchema, authorize: may('battle') }, ({ prompt, retryOf, models }) => {
    // Join before any delta can be emitted: streaming begins on a later tick.
    const result = battles.start(caller(), prompt, { retryOf, models });
    void socket.join(battleRoom(result.battleId));
    return result;
  });

  on(socket, 'battle:continue', { schema: battleContinueSchema, authorize: may('battle') }, ({ battleId, prompt }) => {
    battles.continue(caller(), battleId, prompt); // checks ownership before the join below
    void socket.join(battleRoom(battleId));
    return {};
  });

  on(socket, 'battle:vote', { schema: battleVoteSchema, authorize: may('vote') }, ({ battleId, winner, voteId }) =>
    battles.vote(caller(), battleId, winner, voteId),
  );

  on(socket, 'battle:stop', { schema: battleStopSchema, authorize: may('battle') }, async ({ battleId }) => {
    await battles.stop(caller(), battleId);
    return {};
  });

  on(socket, 'battle:resume', { schema: battleResumeSchema, authorize: may('view') }, ({ battleId }) => {
    const battle = battles.view(caller().voterId, battleId);
    void socket.join(battleRoom(battleId));
    battles.attach(battleId);
    return { battle };
  });

  socket.on('disconnecting', () => {
    for (const room of socket.rooms) {
      if (!room.startsWith('battle:')) continue;
      // `disconnecting` fires while this socket is still in the room.
      if ((io.sockets.adapter.rooms.get(room)?.size ?? 0) <= 1) battles.detach(room.slice('battle:'.length));
    }
  });
}
