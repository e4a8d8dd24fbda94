/** Socket side of auth: the origin check on handshakes, and per-user rooms to refresh identities. */

import { type Cluster, onPeer, tellPeers } from '../transport/cluster.ts';
import type { IdentityResolver } from '../transport/identity.ts';
import type { ArenaServer, ArenaSocket } from '../transport/socket.ts';

const USER_ROOM_PREFIX = 'user:';
export const userRoom = (userId: string | number) => `${USER_ROOM_PREFIX}${userId}`;

export function joinUserRoom(socket: ArenaSocket): void {
  const { userId } = socket.data.identity;
  if (userId !== null) void socket.join(userRoom(userId));
}

/**
 * After a user's role, status or sessions change, re-resolves every open socket of theirs from its
 * handshake, so a demoted, disabled or signed-out user loses their rights without reconnecting.
 * With `cluster`, the other instances are told to do the same for the sockets they hold (a socket's
 * identity lives on the instance it is connected to; the account and its sessions in the database).
 */
export async function refreshUserSockets(io: ArenaServer, userId: number, resolve: IdentityResolver, cluster?: Pick<Cluster, 'shared'>): Promise<void> {
  if (cluster) tellPeers(io, cluster, 'auth:user-changed', { userId });
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

/**
 * Refreshes this instance's sockets of a user whose account changed on another instance; and, on
 * every resync (a message may have been lost), the sockets of every signed-in user here: one
 * session lookup per signed-in socket.
 */
export function followPeerUserChanges(io: ArenaServer, cluster: Pick<Cluster, 'onResync'>, resolve: IdentityResolver): void {
  onPeer(io, 'auth:user-changed', ({ userId }) => refreshUserSockets(io, userId, resolve));
  cluster.onResync(() => {
    const users = [...io.sockets.adapter.rooms.keys()].filter((room) => room.startsWith(USER_ROOM_PREFIX));
    for (const room of users) void refreshUserSockets(io, Number(room.slice(USER_ROOM_PREFIX.length)), resolve);
  });
}
