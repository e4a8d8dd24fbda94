/** Who this browser is signed in as (GET /api/me), and signing in, up and out. */
import type { Me } from '../../../protocol/auth.ts';
import { type Action, can, type Role } from '../../../protocol/permissions.ts';
import { api } from './http.ts';
import type { ArenaSocket } from './socket.ts';

export class SessionState {
  #me = $state.raw<Me | null>(null);
  readonly #socket: Pick<ArenaSocket, 'connect' | 'disconnect'>;

  constructor(socket: Pick<ArenaSocket, 'connect' | 'disconnect'>) {
    this.#socket = socket;
  }

  /** Null until the first answer of GET /api/me. */
  get me(): Me | null {
    return this.#me;
  }
  get role(): Role | null {
    return this.#me?.role ?? null;
  }
  /** What the page offers; the server decides for itself on every request (protocol/permissions.ts). */
  can(action: Action): boolean {
    const role = this.role;
    return role !== null && can(role, action);
  }
  get isAdmin(): boolean {
    return this.can('admin');
  }
  /** Members and admins take part in evaluations. */
  get canEvaluate(): boolean {
    return this.can('evaluate');
  }
  get canBattle(): boolean {
    return this.can('battle');
  }

  async load(): Promise<void> {
    this.#me = await api('GET /api/me');
  }

  async login(email: string, password: string): Promise<void> {
    await api('POST /api/auth/login', { body: { email, password } });
    await this.#changed();
  }

  async signup(invite: string, email: string, password: string): Promise<void> {
    await api('POST /api/auth/signup', { body: { invite, email, password } });
    await this.#changed();
  }

  async logout(): Promise<void> {
    await api('POST /api/auth/logout');
    await this.#changed();
  }

  /** The socket learns who we are at its handshake: reconnect so it carries the new cookie. */
  async #changed(): Promise<void> {
    this.#socket.disconnect();
    this.#socket.connect();
    await this.load();
  }
}
