/** The socket.io room of a chat: its owner's pages on every instance. */
export const CHAT_ROOM_PREFIX = 'chat:';
export const chatRoom = (chatId: string) => `${CHAT_ROOM_PREFIX}${chatId}`;
