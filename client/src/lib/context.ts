/**
 * What App.svelte creates once for the page and every component below it reads: the socket, who
 * is signed in, whether the socket is connected, and the page's language. Context, not module singletons, so each
 * mounted app (and each test) has its own.
 */
import { createContext } from 'svelte';
import type { I18n } from '../i18n/i18n.svelte.ts';
import type { SessionState } from './auth.svelte.ts';
import type { ConnectionState } from './connection.svelte.ts';
import type { ArenaSocket } from './socket.ts';

export const [getSocket, setSocket] = createContext<ArenaSocket>();
export const [getSession, setSession] = createContext<SessionState>();
export const [getConnection, setConnection] = createContext<ConnectionState>();
export const [getI18n, setI18n] = createContext<I18n>();
