/**
 * A socket the test drives: it answers client events with the handlers a test gives, pushes server
 * events, and drops and restores the connection. Only what the state classes use of socket.io.
 */

import type { AckOf, ArenaSocket } from '../../../client/src/lib/socket.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../protocol/events.ts';

type ClientEvent = keyof ClientToServerEvents;
type PayloadOf<E extends ClientEvent> = Parameters<ClientToServerEvents[E]>[0];
type Handler<E extends ClientEvent> = (payload: PayloadOf<E>) => AckOf<E> | Promise<AckOf<E>>;
type Listener = (...args: unknown[]) => void;

export class FakeSocket {
  connected = true;
  /** Every client event sent, in order. */
  readonly sent: Array<{ event: ClientEvent; payload: unknown }> = [];
  readonly #handlers = new Map<ClientEvent, (payload: never) => unknown>();
  readonly #listeners = new Map<string, Set<Listener>>();

  /** How the server answers `event` from now on. */
  serve<E extends ClientEvent>(event: E, handler: Handler<E>): this {
    this.#handlers.set(event, handler as (payload: never) => unknown);
    return this;
  }

  /** A server event arrives. */
  push<E extends keyof ServerToClientEvents>(event: E, ...args: Parameters<ServerToClientEvents[E]>): void {
    this.#fire(event, ...args);
  }

  /** The connection drops. */
  drop(): void {
    this.connected = false;
    this.#fire('disconnect', 'transport close');
  }

  /** A (new) connection is up. */
  reconnect(): void {
    this.connected = true;
    this.#fire('connect');
  }

  /** Listeners still registered for `event`. */
  listenerCount(event: string): number {
    return this.#listeners.get(event)?.size ?? 0;
  }

  sentOf<E extends ClientEvent>(event: E): Array<PayloadOf<E>> {
    return this.sent.filter((s) => s.event === event).map((s) => s.payload as PayloadOf<E>);
  }

  on(event: string, listener: Listener): this {
    if (!this.#listeners.has(event)) this.#listeners.set(event, new Set());
    this.#listeners.get(event)!.add(listener);
    return this;
  }

  once(event: string, listener: Listener): this {
    const wrapped: Listener = (...args) => {
      this.off(event, wrapped);
      listener(...args);
    };
    // `off(event, listener)` must find it, as socket.io's does.
    Object.assign(wrapped, { original: listener });
    return this.on(event, wrapped);
  }

  off(event: string, listener: Listener): this {
    const set = this.#listeners.get(event);
    for (const l of set ?? []) if (l === listener || (l as { original?: Listener }).original === listener) set!.delete(l);
    return this;
  }

  async emitWithAck(event: ClientEvent, payload: unknown): Promise<unknown> {
    this.sent.push({ event, payload });
    const handler = this.#handlers.get(event);
    if (!handler) throw new Error(`the fake server has no handler for ${event}`);
    return handler(payload as never);
  }

  /** The callback form: the ack callback runs once the handler answers (never when it throws). */
  emit(event: ClientEvent, payload: unknown, ack?: (reply: unknown) => void): this {
    this.emitWithAck(event, payload).then(
      (reply) => ack?.(reply),
      () => undefined,
    );
    return this;
  }

  /** The test's handler decides whether an ack comes; a handler that throws stands for a timeout. */
  timeout(_ms: number): { emitWithAck: FakeSocket['emitWithAck'] } {
    return { emitWithAck: (event, payload) => this.emitWithAck(event, payload) };
  }

  connect(): this {
    this.reconnect();
    return this;
  }

  disconnect(): this {
    this.connected = false;
    this.#fire('disconnect', 'io client disconnect');
    return this;
  }

  /** The one cast: the state classes take the real socket type. */
  asSocket(): ArenaSocket {
    return this as unknown as ArenaSocket;
  }

  #fire(event: string, ...args: unknown[]): void {
    for (const listener of [...(this.#listeners.get(event) ?? [])]) listener(...args);
  }
}

/** sessionStorage for node: the battle keeps its id and a pending vote there. */
export class MemoryStorage implements Storage {
  readonly #items = new Map<string, string>();
  get length(): number {
    return this.#items.size;
  }
  clear(): void {
    this.#items.clear();
  }
  getItem(key: string): string | null {
    return this.#items.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.#items.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.#items.delete(key);
  }
  setItem(key: string, value: string): void {
    this.#items.set(key, String(value));
  }
}

/** A promise and its resolver, to hold an ack back until the test lets it go. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
