/** Thin socket handlers for direct chats: authorize, validate, call the service, answer. */
import { chatFeedbackSchema, chatRefSchema, chatSendSchema, chatStartSchema } from '../../protocol/chat.ts';
import { type Action, can } from '../../protocol/permissions.ts';
import { emptySchema } from '../../protocol/schemas.ts';
import { requireAction } from '../transport/identity.ts';
import { type ArenaServer, type ArenaSocket, on } from '../transport/socket.ts';
import type { ChatPeers } from './peers.ts';
import { CHAT_ROOM_PREFIX, chatRoom } from './rooms.ts';
import type { ChatCaller, ChatService } from './service.ts';

const ROOM_PREFIX = CHAT_ROOM_PREFIX;

export function registerChatHandlers(io: ArenaServer, socket: ArenaSocket, chats: ChatService, peers: ChatPeers): void {
  // Read at each event: a user's role can change while the socket stays open (server/auth).
  const caller = (): ChatCaller => {
    const { identity, ip } = socket.data;
    return { voterId: identity.voterId, ip, admin: can(identity.role, 'admin') };
  };
  const may = (action: Action) => () => requireAction(socket.data.identity, action);

  on(socket, 'chat:models', { schema: emptySchema, authorize: may('battle') }, () => ({ models: chats.models(caller()) }));

  on(socket, 'chat:start', { schema: chatStartSchema, authorize: may('battle') }, async ({ modelId, prompt }) => {
    // Joined in the same turn the answer starts in: its first piece goes out on a later one.
    const result = await chats.start(caller(), modelId, prompt);
    void socket.join(chatRoom(result.chatId));
    return result;
  });

  on(socket, 'chat:send', { schema: chatSendSchema, authorize: may('battle') }, async ({ chatId, prompt }) => {
    await chats.send(caller(), chatId, prompt); // checks ownership before the join below
    void socket.join(chatRoom(chatId));
    return {};
  });

  on(socket, 'chat:stop', { schema: chatRefSchema, authorize: may('battle') }, async ({ chatId }) => {
    await peers.stop(caller().voterId, chatId);
    return {};
  });

  // The view is this instance's, or the streaming instance's when another one streams the answer.
  on(socket, 'chat:resume', { schema: chatRefSchema, authorize: may('view') }, async ({ chatId }) => ({
    chat: await peers.resume(caller().voterId, chatId, socket),
  }));

  on(socket, 'chat:feedback', { schema: chatFeedbackSchema, authorize: may('vote') }, async (input) => ({
    feedback: await chats.feedback(caller().voterId, input),
  }));

  socket.on('disconnecting', () => {
    for (const room of socket.rooms) {
      if (!room.startsWith(ROOM_PREFIX)) continue;
      // `disconnecting` fires while this socket is still in the room.
      if ((io.sockets.adapter.rooms.get(room)?.size ?? 0) <= 1) peers.left(room.slice(ROOM_PREFIX.length));
    }
  });
}
