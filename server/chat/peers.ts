/**
 * Direct chats across the instances of one deployment, as battles (server/arena/peers.ts): a
 * chat's running answer is streamed by the instance it started on (chats.instance_id); a page
 * that reconnects to another instance asks that one for the chat as it is now (the text so far),
 * and is counted as watching there (no abandon grace while any page watches, on any instance).
 * A chat's pieces always go through Redis (server/chat/module.ts), so the page gets the rest.
 */
import type { ChatDelta, ChatEnd, ChatView } from '../../protocol/chat.ts';
import { applyLater } from '../arena/battle-view.ts';
import { askPeers, askPeersNoting, type Cluster, onPeer, tellPeers } from '../transport/cluster.ts';
import type { ArenaServer, ArenaSocket } from '../transport/socket.ts';
import { chatRoom } from './rooms.ts';
import type { ChatRunner } from './runner.ts';
import type { ChatService } from './service.ts';
import type { ChatStore } from './store.ts';

export class ChatPeers {
  readonly #io: ArenaServer;
  readonly #cluster: Pick<Cluster, 'shared' | 'instanceId'>;
  readonly #store: ChatStore;
  readonly #chats: ChatService;
  readonly #runner: Pick<ChatRunner, 'live' | 'attach' | 'detach'>;
  /** Chats this instance streams that pages on other instances watch, and which instances. */
  readonly #remote = new Map<string, Set<string>>();
  /** Chats another instance streams that pages here resumed: it is told when the last of them leaves. */
  readonly #watchedElsewhere = new Set<string>();

  constructor(io: ArenaServer, deps: { cluster: Pick<Cluster, 'shared' | 'instanceId'>; store: ChatStore; chats: ChatService; runner: ChatRunner }) {
    this.#io = io;
    this.#cluster = deps.cluster;
    this.#store = deps.store;
    this.#chats = deps.chats;
    this.#runner = deps.runner;
    onPeer(io, 'chat:watch', async ({ chatId, voterId, instanceId }) => {
      if (!this.#runner.live(chatId) || (await this.#store.getChat(chatId))?.voterId !== voterId) return null;
      const chat = await this.#chats.view(voterId, chatId);
      const watchers = this.#remote.get(chatId) ?? new Set<string>();
      watchers.add(instanceId);
      this.#remote.set(chatId, watchers);
      this.#runner.attach(chatId);
      return { chat };
    });
    onPeer(io, 'chat:unwatched', ({ chatId, instanceId }) => {
      const watchers = this.#remote.get(chatId);
      watchers?.delete(instanceId);
      if (watchers?.size === 0) this.#remote.delete(chatId);
      if (this.#runner.live(chatId) && !this.#watched(chatId)) this.#runner.detach(chatId);
    });
    onPeer(io, 'chat:stop', async ({ chatId, voterId }) => {
      if (!this.#runner.live(chatId) || (await this.#store.getChat(chatId))?.voterId !== voterId) return null;
      await this.#chats.stop(voterId, chatId);
      return { instanceId: this.#cluster.instanceId };
    });
  }

  /** A page picks its chat up again: this instance's own view, or the streaming instance's with what came since. */
  async resume(voterId: string, chatId: string, socket: Pick<ArenaSocket, 'join' | 'onAnyOutgoing' | 'offAnyOutgoing'>): Promise<ChatView> {
    const view = await this.#chats.view(voterId, chatId);
    void socket.join(chatRoom(chatId));
    if (this.#runner.live(chatId) || !this.#cluster.shared || (await this.#store.getChat(chatId))?.status !== 'streaming') {
      this.#chats.attach(chatId);
      return view;
    }
    // Pieces published after the streaming instance took its view reach this page before the answer does.
    const ask = { chatId, voterId, instanceId: this.#cluster.instanceId };
    const note = (event: string, payload: unknown) => {
      const piece = payload as ChatDelta | ChatEnd | undefined;
      if (piece?.chatId !== chatId) return null;
      if (event === 'chat:delta') return { delta: piece as ChatDelta };
      return event === 'chat:end' ? { end: piece as ChatEnd } : null;
    };
    return askPeersNoting(this.#io, this.#cluster, 'chat:watch', ask, socket, note).then(({ answers, later }) => {
      const remote = answers.find((a) => a !== null)?.chat;
      if (!remote) return view;
      this.#watchedElsewhere.add(chatId);
      return withLaterPieces(remote, later);
    });
  }

  /** Stop on a chat another instance streams: that instance cuts it. */
  async stop(voterId: string, chatId: string): Promise<void> {
    // Ownership is checked before anyone else is asked.
    if (this.#cluster.shared && !this.#runner.live(chatId) && (await this.#chats.owned(voterId, chatId)).status === 'streaming') {
      await askPeers(this.#io, this.#cluster, 'chat:stop', { chatId, voterId });
    }
    await this.#chats.stop(voterId, chatId);
  }

  /** The last socket of this instance in the chat's room is leaving. */
  left(chatId: string): void {
    if (this.#runner.live(chatId)) {
      if ((this.#remote.get(chatId)?.size ?? 0) === 0) this.#chats.detach(chatId);
    } else if (this.#watchedElsewhere.delete(chatId)) {
      tellPeers(this.#io, this.#cluster, 'chat:unwatched', { chatId, instanceId: this.#cluster.instanceId });
    }
  }

  /** Forgets the watchers of answers that ended (periodically). */
  sweep(): void {
    for (const chatId of this.#remote.keys()) if (!this.#runner.live(chatId)) this.#remote.delete(chatId);
  }

  #watched(chatId: string): boolean {
    return (this.#io.sockets.adapter.rooms.get(chatRoom(chatId))?.size ?? 0) > 0 || (this.#remote.get(chatId)?.size ?? 0) > 0;
  }
}

/** The streaming instance's view with the pieces and ends that followed it (pure). */
export function withLaterPieces(view: ChatView, later: ReadonlyArray<{ delta: ChatDelta } | { end: ChatEnd }>): ChatView {
  const turns = view.turns.map((t) => ({ ...t, answer: { ...t.answer } }));
  let status = view.status;
  for (const event of later) {
    const { chatId, turn } = 'delta' in event ? event.delta : event.end;
    const answer = chatId === view.chatId ? turns.find((t) => t.turn === turn)?.answer : undefined;
    if (!answer) continue;
    applyLater(answer, event);
    if ('end' in event && turn === turns.at(-1)?.turn) status = 'ready';
  }
  return { ...view, status, turns };
}
