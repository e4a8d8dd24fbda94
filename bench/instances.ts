/**
 * Scenario: votes on several instances. The same voters and finished battles vote first on one
 * instance alone (SQLite, no Redis: the default deployment), then on two instances that share the
 * database file and a Redis (the scale profile on one host), half the voters on each. Every ack is
 * checked against the votes a separate connection finds committed.
 */
import { rmSync } from 'node:fs';
import { startRedis } from '../tests/support/services.ts';
import { closeAll } from './support/clients.ts';
import type { ScenarioResult } from './support/report.ts';
import { cpuMeter, makeTempDir, type ServerProcess, startServer } from './support/server-process.ts';
import { withTimeout } from './support/time.ts';
import { countCommittedVotes, driveVotes, instantDemoModels, prepareVoters, reconnectVoters, type VoteRun, type Voter } from './support/vote-load.ts';

const PREPARE_TIMEOUT_MS = 180_000;

/** Enough battles that neither run runs out before its time is up (each gets half). */
function plan(quick: boolean) {
  return quick ? { voters: 20, battlesPerVoter: 200, durationMs: 1_000 } : { voters: 40, battlesPerVoter: 1_000, durationMs: 4_000 };
}

/** Each voter with the first or the second half of its battles: the two runs never vote on the same battle. */
function half(voters: Voter[], which: 0 | 1): Voter[] {
  return voters.map((v) => {
    const middle = Math.floor(v.battles.length / 2);
    return { ...v, battles: which === 0 ? v.battles.slice(0, middle) : v.battles.slice(middle) };
  });
}

interface Run {
  run: VoteRun;
  cores: number;
}

/** Voter i reconnects to instance i mod n, then all vote at once. */
async function voteAcross(servers: ServerProcess[], voters: Voter[], durationMs: number): Promise<Run> {
  const groups = servers.map((_, i) => voters.filter((_, v) => v % servers.length === i));
  const connected = (await Promise.all(groups.map((group, i) => reconnectVoters(servers[i]!.url, group)))).flat();
  try {
    const meters = servers.map((s) => cpuMeter(s));
    const run = await driveVotes(connected, { durationMs });
    const cores = meters.reduce((sum, m) => sum + m.stop(), 0);
    return { run, cores };
  } finally {
    closeAll(connected.map((v) => v.socket));
  }
}

export async function benchInstances(opts: { quick: boolean }): Promise<ScenarioResult> {
  const p = plan(opts.quick);
  const dir = makeTempDir('arena-bench-instances-');
  const redis = await startRedis();
  try {
    const preparing = await startServer({ models: instantDemoModels, dir });
    let voters: Voter[];
    try {
      const prepared = await withTimeout(
        prepareVoters(preparing.url, { clients: p.voters, battlesPerClient: p.battlesPerVoter, idPrefix: 'voter' }),
        PREPARE_TIMEOUT_MS,
        'preparing finished battles',
      );
      voters = prepared.voters;
      closeAll(voters.map((v) => v.socket));
    } finally {
      await preparing.stop();
    }

    const alone = await startServer({ models: instantDemoModels, dir });
    let one: Run;
    try {
      one = await voteAcross([alone], half(voters, 0), p.durationMs);
    } finally {
      await alone.stop();
    }
    const afterOne = countCommittedVotes(alone.databasePath).committed;

    const shared = { REDIS_URL: redis.url };
    const pair = await Promise.all(
      ['bench-1', 'bench-2'].map((id) => startServer({ models: instantDemoModels, dir, env: { ...shared, ARENA_INSTANCE_ID: id } })),
    );
    let two: Run;
    try {
      two = await voteAcross(pair, half(voters, 1), p.durationMs);
    } finally {
      await Promise.all(pair.map((s) => s.stop()));
    }
    const afterTwo = countCommittedVotes(alone.databasePath).committed;

    const rate = (r: Run) => r.run.votes / r.run.seconds;
    const p99 = (r: Run) => r.run.latencyMs.summary().p99;
    const describe = (label: string, r: Run, committed: number) =>
      `${label}: ${r.run.votes.toLocaleString('en-US')} votes acknowledged in ${r.run.seconds.toFixed(2)} s, ${r.run.errors} errors` +
      `${r.run.firstError ? ` (first: ${r.run.firstError})` : ''}; ${committed.toLocaleString('en-US')} found committed ` +
      `(${committed === r.run.votes ? 'equal to' : 'DIFFERENT from'} the acknowledged count); servers' CPU ${r.cores.toFixed(2)} cores, bench ${r.run.clientCores.toFixed(2)}.`;
    return {
      name: 'Votes on several instances',
      setup:
        `${p.voters} voters voting on their own finished battles as fast as acks return (as in vote ingestion), ` +
        `${p.durationMs / 1000} s on one instance alone, then ${p.durationMs / 1000} s on two instances sharing the SQLite file and a Redis ` +
        '(socket.io Redis adapter), half the voters on each; both runs on the same database and machine (2 cores for servers, Redis and the bench). ' +
        'PostgreSQL is not measured: the server does not run on it yet (docs/DEPLOY.md).',
      figures: [
        { metric: 'one instance (SQLite): durable votes/s', value: rate(one), unit: 'votes/s' },
        { metric: 'one instance: ack latency p99', value: p99(one), unit: 'ms', digits: 2 },
        { metric: 'two instances (shared SQLite + Redis): durable votes/s', value: rate(two), unit: 'votes/s' },
        { metric: 'two instances: ack latency p99', value: p99(two), unit: 'ms', digits: 2 },
      ],
      notes: [describe('One instance', one, afterOne), describe('Two instances', two, afterTwo - afterOne)],
    };
  } finally {
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
