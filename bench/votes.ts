/**
 * Scenario 1, vote ingestion: voters each hold finished battles and vote on them as fast as acks
 * return, with the online Elo update and the live leaderboard broadcast on (watchers subscribed).
 * Every ack is checked against the votes a separate connection finds committed in SQLite.
 */
import { copyFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { closeAll, connectMany, LeaderboardWatch } from './support/clients.ts';
import { type ProfileSummary, summarizeProfile } from './support/cpu-profile.ts';
import type { ScenarioResult } from './support/report.ts';
import { cpuMeter, makeTempDir, type ServerProcess, startServer } from './support/server-process.ts';
import { measureSqliteCeiling } from './support/sqlite-ceiling.ts';
import { withTimeout } from './support/time.ts';
import { countCommittedVotes, driveVotes, instantDemoModels, prepareVoters, reconnectVoters, type VoteRun, type Voter } from './support/vote-load.ts';

export interface VotesOptions {
  quick: boolean;
}

const PREPARE_TIMEOUT_MS = 180_000;

function plan(quick: boolean) {
  return quick ? { voters: 20, battlesPerVoter: 60, watchers: 5, durationMs: 3_000 } : { voters: 50, battlesPerVoter: 1_000, watchers: 20, durationMs: 8_000 };
}

interface Measured {
  run: VoteRun;
  committed: number;
  counted: number;
  watchersFinal: number;
  watchers: number;
  leaderboardUpdates: number;
  prepareSeconds: number;
  battles: number;
  cores: number;
  /** Bytes written to storage by the server per acknowledged vote (WAL, checkpoints). */
  diskBytesPerVote: number;
  peakRssMb: number;
}

/**
 * Prepares finished battles on one server, then restarts it on the same database (with a CPU
 * profile when `cpuProfileDir` is given) so the measured process, and its profile, do voting only.
 */
async function measure(quick: boolean, cpuProfileDir?: string): Promise<Measured> {
  const p = plan(quick);
  const dir = makeTempDir('arena-bench-votes-');
  try {
    const preparing = await startServer({ models: instantDemoModels, dir });
    let prepared: Awaited<ReturnType<typeof prepareVoters>>;
    try {
      prepared = await withTimeout(
        prepareVoters(preparing.url, { clients: p.voters, battlesPerClient: p.battlesPerVoter, idPrefix: 'voter' }),
        PREPARE_TIMEOUT_MS,
        'preparing finished battles',
      );
      closeAll(prepared.voters.map((v) => v.socket));
    } finally {
      await preparing.stop();
    }
    const server = await startServer({ models: instantDemoModels, dir, ...(cpuProfileDir ? { cpuProfileDir } : {}) });
    try {
      return { ...(await voteOn(server, prepared.voters, p)), prepareSeconds: prepared.seconds, battles: prepared.battles };
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function voteOn(server: ServerProcess, prepared: Voter[], p: ReturnType<typeof plan>): Promise<Omit<Measured, 'prepareSeconds' | 'battles'>> {
  const voters = await reconnectVoters(server.url, prepared);
  const watcherSockets = await connectMany(server.url, p.watchers);
  try {
    const watch = new LeaderboardWatch();
    await watch.subscribe(watcherSockets);
    const meter = cpuMeter(server);
    const written0 = server.diskWriteBytes();
    const run = await driveVotes(voters, { durationMs: p.durationMs });
    const cores = meter.stop();
    const diskBytesPerVote = (server.diskWriteBytes() - written0) / run.votes;
    const { committed, counted } = countCommittedVotes(server.databasePath);
    const watchersFinal = await watch.waitForTotal(counted, 5_000);
    return {
      run,
      committed,
      counted,
      watchersFinal,
      watchers: p.watchers,
      leaderboardUpdates: watch.updates,
      cores,
      diskBytesPerVote,
      peakRssMb: server.memory().peakRssMb,
    };
  } finally {
    closeAll(watcherSockets);
    closeAll(voters.map((v) => v.socket));
  }
}

export async function benchVotes(opts: VotesOptions): Promise<ScenarioResult> {
  const p = plan(opts.quick);
  const m = await measure(opts.quick);
  const { run } = m;
  const latency = run.latencyMs.summary();
  // Right after the run, on the same disk, with the server stopped: the ceiling our figure is read against.
  const ceiling = await measureSqliteCeiling(opts.quick ? { seconds: 1, battles: 50_000 } : { seconds: 2, battles: 200_000 });
  const votesPerSecond = run.votes / run.seconds;
  return {
    name: 'Vote ingestion',
    setup:
      `${p.voters} voters over socket.io (WebSocket), each voting on its own finished battles one at a time, ` +
      `next vote as soon as the ack returns, for ${p.durationMs / 1000} s or until its ${p.battlesPerVoter} battles run out; ` +
      `${p.watchers} more clients subscribed to the leaderboard (default 250 ms coalescing); ` +
      `battles prepared first, then the server restarted on the same database so the measured process only votes; a vote's ack must mean it is committed (vote, battle status and both Elo rows), which the durability check below verifies.`,
    figures: [
      { metric: 'sustained durable votes/s', value: votesPerSecond, unit: 'votes/s', target: { kind: 'min', value: 5_000 } },
      { metric: 'SQLite ceiling: commits/s of one vote + two rating rows', value: ceiling.commitsPerSecond, unit: 'commits/s' },
      // Informational, no target: half the ceiling is what the issue asks where the profile allows it;
      // measured 0.45–0.47 (the per-vote savepoint, the vote row's six indexes and the battle's reads,
      // in server/voting and server/arena, are what the vote adds to the ceiling's loop).
      { metric: 'votes/s as a share of the SQLite ceiling', value: votesPerSecond / ceiling.commitsPerSecond, unit: '', digits: 2 },
      { metric: 'ack latency p50', value: latency.p50, unit: 'ms', digits: 2 },
      { metric: 'ack latency p95', value: latency.p95, unit: 'ms', digits: 2 },
      { metric: 'ack latency p99', value: latency.p99, unit: 'ms', digits: 2, target: { kind: 'max', value: 50 } },
    ],
    notes: [
      `${run.votes.toLocaleString('en-US')} votes acknowledged in ${run.seconds.toFixed(2)} s, ${run.errors} errors${run.firstError ? ` (first: ${run.firstError})` : ''}; ` +
        `max ack latency ${latency.max.toFixed(1)} ms.`,
      `Durability check: ${m.committed.toLocaleString('en-US')} votes found committed by a separate SQLite connection ` +
        `(${m.committed === run.votes ? 'equal to' : 'DIFFERENT from'} the acknowledged count), ${m.counted.toLocaleString('en-US')} of them counted (no integrity flag).`,
      `Leaderboard watchers holding the final state (totalVotes = ${m.counted}): ${m.watchersFinal}/${m.watchers}; ` +
        `${m.leaderboardUpdates} updates received in all.`,
      `Server CPU while voting: ${m.cores.toFixed(2)} cores (bench process: ${run.clientCores.toFixed(2)} cores); ` +
        `${(m.diskBytesPerVote / 1024).toFixed(1)} KiB written to disk per vote; peak RSS ${m.peakRssMb.toFixed(0)} MB.`,
      `SQLite ceiling: ${ceiling.commits.toLocaleString('en-US')} commits in ${ceiling.seconds.toFixed(2)} s on a temp database with the project's migrations and pragmas ` +
        `(WAL, synchronous NORMAL, foreign keys), each commit one vote row and two rating-row updates, prepared statements in a tight loop in the bench process (the server stopped).`,
      `Preparation (not measured above): ${m.battles.toLocaleString('en-US')} battles started and finished in ` +
        `${m.prepareSeconds.toFixed(1)} s (${(m.battles / m.prepareSeconds).toFixed(0)} battles/s, 3 in flight per voter, the per-voter limit, one-token demo answers).`,
    ],
  };
}

/** Where the raw profile is kept, to open in Chrome DevTools or speedscope. */
export const PROFILE_COPY = path.join(tmpdir(), 'arena-bench-votes.cpuprofile');

/** The same workload on a server started with `--cpu-prof`; returns the profile's summary. */
export async function profileVotes(opts: VotesOptions): Promise<ProfileSummary> {
  const dir = makeTempDir('arena-bench-prof-');
  try {
    await measure(opts.quick, dir);
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error('the server wrote no .cpuprofile');
    copyFileSync(path.join(dir, file), PROFILE_COPY);
    return summarizeProfile(PROFILE_COPY);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
