/**
 * What App.svelte creates once for the page and every component below it reads: the socket, who
 * is signed in, and whether the socket is connected. Context, not module singletons, so each
 * mounted app (and each test) has its own.
 */
import { createContext } from 'svelte';
import type { SessionState } from './auth.svelte.ts';
import type { ConnectionState } from './connection.svelte.ts';
import type { ArenaSocket } from './socket.ts';

export const [getSocket, setSocket] = createContext<ArenaSocket>();
export const [getSession, setSession] = createContext<SessionState>();
export const [getConnection, setConnection] = createContext<ConnectionState>();
