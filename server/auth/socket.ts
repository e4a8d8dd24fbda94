/** Socket side of auth: the origin check on handshakes, and per-user rooms to refresh identities. */

import type { IdentityResolver } from '../transport/identity.ts';
import type { ArenaServer, ArenaSocket } from '../transport/socket.ts';

export const userRoom = (userId: string | number) => `user:${userId}`;

export function joinUserRoom(socket: ArenaSocket): void {
  const { userId } = socket.data.identity;
  if (userId !== null) void socket.join(userRoom(userId));
}

/**
 * After a user's role, status or sessions change, re-resolves every open socket of theirs from its
 * handshake, so a demoted, disabled or signed-out user loses their rights without reconnecting.
 */
export async function refreshUserSockets(io: ArenaServer, userId: number, resolve: IdentityResolver): Promise<void> {
  const ids = io.sockets.adapter.rooms.get(userRoom(userId));
  for (const id of [...(ids ?? [])]) {
    const socket = io.sockets.sockets.get(id);
    if (!socket) continue;
    socket.data.identity = await resolve({
      headers: socket.handshake.headers,
      remoteAddress: socket.handshake.address,
      claimedVoterId: (socket.handshake.auth as { voterId?: unknown } | undefined)?.voterId,
    });
    if (socket.data.identity.userId !== String(userId)) void socket.leave(userRoom(userId));
  }
}
