/** Who this browser is signed in as (GET /api/me), and signing in, up and out. */
import type { Me } from '../../../protocol/auth.ts';
import { apiGet, apiPost } from './auth-http.ts';
import { getSocket } from './socket.ts';

export class SessionState {
  me = $state.raw<Me | null>(null);

  get role(): Me['role'] | null {
    return this.me?.role ?? null;
  }
  get isAdmin(): boolean {
    return this.role === 'admin';
  }
  /** Members and admins take part in evaluations. */
  get canEvaluate(): boolean {
    return this.role === 'admin' || this.role === 'member';
  }
  get canBattle(): boolean {
    return this.role === 'admin' || this.role === 'member' || this.role === 'anonymous';
  }

  async load(): Promise<void> {
    this.me = await apiGet<Me>('/api/me');
  }

  async login(email: string, password: string): Promise<void> {
    await apiPost('/api/auth/login', { email, password });
    await this.#changed();
  }

  async signup(invite: string, email: string, password: string): Promise<void> {
    await apiPost('/api/auth/signup', { invite, email, password });
    await this.#changed();
  }

  async logout(): Promise<void> {
    await apiPost('/api/auth/logout');
    await this.#changed();
  }

  /** The socket learns who we are at its handshake: reconnect so it carries the new cookie. */
  async #changed(): Promise<void> {
    const socket = getSocket();
    socket.disconnect();
    socket.connect();
    await this.load();
  }
}

export const session = new SessionState();
