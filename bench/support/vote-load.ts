/**
 * The voting workload shared by the vote and viewer scenarios: voters that own finished battles,
 * then vote on them one at a time, each sending the next vote as soon as the previous ack returns.
 */
import Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import type { Winner } from '../../protocol/types.ts';
import type { ModelConfigInput } from '../../server/models/config.ts';
import { BattleEnds, type BenchSocket, closeAll, connectMany, request, voterIdFor } from './clients.ts';
import { Samples } from './stats.ts';

/** Demo models that answer instantly with a single token: finished battles cost next to nothing. */
export const instantDemoModels: ModelConfigInput[] = ['sage', 'brisk', 'muddle', 'verse'].map((style) => ({
  id: `bench-${style}`,
  name: `Bench ${style}`,
  provider: 'demo',
  model: style,
  tokensPerSecond: 0,
  maxTokens: 1,
}));

const WINNERS: readonly Winner[] = ['a', 'b', 'tie', 'bothbad'];

export interface Voter {
  voterId: string;
  socket: BenchSocket;
  /** Finished battles this voter owns and has not voted on yet. */
  battles: string[];
}

export interface Prepared {
  voters: Voter[];
  battles: number;
  seconds: number;
}

export interface VoteRun {
  votes: number;
  errors: number;
  firstError: string | null;
  seconds: number;
  latencyMs: Samples;
  /** Cores the bench process itself used meanwhile (is the load generator the limit?). */
  clientCores: number;
}

/** Connects `clients` voters and has each start `battlesPerClient` battles (`inFlight` at a time). */
export async function prepareVoters(url: string, opts: { clients: number; battlesPerClient: number; inFlight?: number; idPrefix?: string }): Promise<Prepared> {
  const started = performance.now();
  const prefix = opts.idPrefix ?? 'voter';
  const voterId = (i: number) => voterIdFor(prefix, i);
  const sockets = await connectMany(url, opts.clients, { voterId });
  try {
    const voters = await Promise.all(
      sockets.map(async (socket, i) => ({
        voterId: voterId(i),
        socket,
        battles: await startBattles(socket, opts.battlesPerClient, opts.inFlight ?? 3),
      })),
    );
    return {
      voters,
      battles: voters.reduce((n, v) => n + v.battles.length, 0),
      seconds: (performance.now() - started) / 1000,
    };
  } catch (err) {
    closeAll(sockets);
    throw err;
  }
}

async function startBattles(socket: BenchSocket, count: number, inFlight: number): Promise<string[]> {
  const tracker = new BattleEnds(socket);
  const battles: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const { battleId } = await request(socket, 'battle:start', { prompt: `Benchmark prompt ${next}: explain binary search` });
      await tracker.finished(battleId);
      battles.push(battleId);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(inFlight, count) }, worker));
  } finally {
    tracker.dispose();
  }
  if (tracker.failed > 0) throw new Error(`${tracker.failed} demo answers failed while preparing battles`);
  return battles;
}

/** The same voters on fresh connections (after a server restart): their battles are in the database. */
export async function reconnectVoters(url: string, voters: Voter[]): Promise<Voter[]> {
  closeAll(voters.map((v) => v.socket));
  const sockets = await connectMany(url, voters.length, { voterId: (i) => voters[i]!.voterId });
  return voters.map((v, i) => ({ ...v, socket: sockets[i]! }));
}

/** Every voter votes on its own battles, one at a time, until they run out or `durationMs` passes. */
export async function driveVotes(voters: Voter[], opts: { durationMs: number }): Promise<VoteRun> {
  const latencyMs = new Samples();
  let votes = 0;
  let errors = 0;
  let firstError: string | null = null;
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const deadline = started + opts.durationMs;
  let sequence = 0;

  const voteLoop = async (voter: Voter) => {
    while (voter.battles.length > 0 && performance.now() < deadline) {
      const battleId = voter.battles.pop()!;
      const winner = WINNERS[sequence++ % WINNERS.length]!;
      const sent = performance.now();
      try {
        // Vote ids as the page makes them (UUIDv7, client/src/lib/vote-delivery.ts).
        await request(voter.socket, 'battle:vote', { battleId, winner, voteId: uuidv7() });
        latencyMs.push(performance.now() - sent);
        votes++;
      } catch (err) {
        errors++;
        firstError ??= (err as Error).message;
      }
    }
  };
  await Promise.all(voters.map(voteLoop));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { votes, errors, firstError, seconds, latencyMs, clientCores: (cpu.user + cpu.system) / 1e6 / seconds };
}

/**
 * Votes committed to the database, read through a connection of our own (what survives a crash);
 * `counted` are those in the leaderboard (no integrity flag).
 */
export function countCommittedVotes(databasePath: string): { committed: number; counted: number } {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT count(*) AS committed, coalesce(sum(counted), 0) AS counted FROM votes').get() as {
      committed: number;
      counted: number;
    };
  } finally {
    db.close();
  }
}
