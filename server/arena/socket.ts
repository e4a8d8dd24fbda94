/** Thin socket handlers for battles: authorize, validate, call the service, answer. */

import type { Action } from '../../protocol/permissions.ts';
import { battleContinueSchema, battleResumeSchema, battleStartSchema, battleStopSchema, battleVoteSchema } from '../../protocol/schemas.ts';
import { requireAction } from '../transport/identity.ts';
import { type ArenaServer, type ArenaSocket, on } from '../transport/socket.ts';
import type { BattleService } from './battle-service.ts';
import { type BattlePeers, battleRoom } from './peers.ts';

export { battleRoom };

export function registerBattleHandlers(io: ArenaServer, socket: ArenaSocket, battles: BattleService, peers: BattlePeers): void {
  const caller = () => ({ voterId: socket.data.identity.voterId, ip: socket.data.ip });
  const may = (action: Action) => () => requireAction(socket.data.identity, action);
  const join = (battleId: string) => () => void socket.join(battleRoom(battleId));

  on(socket, 'battle:start', { schema: battleStartSchema, authorize: may('battle') }, ({ prompt, retryOf, models }) =>
    // Joins once the battle exists, before any delta can be emitted.
    battles.start(caller(), prompt, { retryOf, models, onCreated: (battleId) => join(battleId)() }),
  );

  on(socket, 'battle:continue', { schema: battleContinueSchema, authorize: may('battle') }, async ({ battleId, prompt }) => {
    await battles.continue(caller(), battleId, prompt, join(battleId)); // checks ownership before the join
    return {};
  });

  on(socket, 'battle:vote', { schema: battleVoteSchema, authorize: may('vote') }, ({ battleId, winner, voteId }) =>
    battles.vote(caller(), battleId, winner, voteId),
  );

  on(socket, 'battle:stop', { schema: battleStopSchema, authorize: may('battle') }, async ({ battleId }) => {
    await peers.stop(caller().voterId, battleId);
    return {};
  });

  on(socket, 'battle:resume', { schema: battleResumeSchema, authorize: may('view') }, ({ battleId }) => {
    // Streamed here (or by nobody): answered in this tick, before any delta sent after the join.
    const battle = peers.resume(caller().voterId, battleId, socket);
    return battle instanceof Promise ? battle.then((view) => ({ battle: view })) : { battle };
  });

  // `disconnecting` fires while this socket is still in its rooms; the battles it was the last
  // watcher of on this instance are handed over once it is out of them.
  let leaving: string[] = [];
  socket.on('disconnecting', () => {
    leaving = [...socket.rooms].filter((room) => room.startsWith('battle:') && (io.sockets.adapter.rooms.get(room)?.size ?? 0) <= 1);
  });
  socket.on('disconnect', () => {
    for (const room of leaving) peers.left(room.slice('battle:'.length));
  });
}
