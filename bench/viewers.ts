/**
 * Scenario 2, live viewers: thousands of idle clients subscribed to the leaderboard while votes
 * flow. Every viewer must end up holding the final standings; the server's memory is reported.
 */
import { type BenchSocket, closeAll, connectMany, LeaderboardWatch } from './support/clients.ts';
import type { ScenarioResult } from './support/report.ts';
import { startServer } from './support/server-process.ts';
import { withTimeout } from './support/time.ts';
import { countCommittedVotes, driveVotes, instantDemoModels, prepareVoters } from './support/vote-load.ts';

export interface ViewersOptions {
  quick: boolean;
}

const FINAL_STATE_TIMEOUT_MS = 15_000;

function plan(quick: boolean) {
  return quick ? { viewers: 200, voters: 10, battlesPerVoter: 60, durationMs: 2_000 } : { viewers: 2_000, voters: 20, battlesPerVoter: 250, durationMs: 8_000 };
}

export async function benchViewers(opts: ViewersOptions): Promise<ScenarioResult> {
  const p = plan(opts.quick);
  const server = await startServer({ models: instantDemoModels });
  let viewers: BenchSocket[] = [];
  let voters: BenchSocket[] = [];
  try {
    const idleRssMb = server.memory().rssMb;
    const prepared = await withTimeout(
      prepareVoters(server.url, { clients: p.voters, battlesPerClient: p.battlesPerVoter, idPrefix: 'viewer-test' }),
      120_000,
      'preparing finished battles',
    );
    voters = prepared.voters.map((v) => v.socket);
    const connectStarted = performance.now();
    viewers = await withTimeout(connectMany(server.url, p.viewers, { batch: 100 }), 120_000, 'connecting viewers');
    const watch = new LeaderboardWatch();
    await withTimeout(watch.subscribe(viewers), 60_000, 'subscribing viewers');
    const connectSeconds = (performance.now() - connectStarted) / 1000;
    const connectedRssMb = server.memory().rssMb;

    const run = await driveVotes(prepared.voters, { durationMs: p.durationMs });
    const { counted } = countCommittedVotes(server.databasePath);
    const waitStarted = performance.now();
    const holdingFinal = await watch.waitForTotal(counted, FINAL_STATE_TIMEOUT_MS);
    const settleMs = performance.now() - waitStarted;
    const memory = server.memory();

    const latency = run.latencyMs.summary();
    return {
      name: 'Live viewers',
      setup:
        `${p.viewers.toLocaleString('en-US')} idle socket.io clients (WebSocket) subscribed to the leaderboard, ` +
        `opened 100 at a time, while ${p.voters} voters vote as fast as acks return for ${p.durationMs / 1000} s.`,
      figures: [
        {
          metric: 'viewers holding the final standings',
          value: holdingFinal,
          unit: `of ${p.viewers.toLocaleString('en-US')}`,
          target: { kind: 'min', value: p.viewers },
        },
        { metric: 'server peak RSS (VmHWM)', value: memory.peakRssMb, unit: 'MB', target: { kind: 'max', value: 300 } },
        { metric: 'server RSS after the run', value: memory.rssMb, unit: 'MB' },
      ],
      notes: [
        `Server RSS: ${idleRssMb.toFixed(0)} MB at start, ${connectedRssMb.toFixed(0)} MB with every viewer connected and subscribed ` +
          `(${(((connectedRssMb - idleRssMb) * 1024) / p.viewers).toFixed(1)} KB per viewer, including the voters' battles), ` +
          `${memory.rssMb.toFixed(0)} MB after the votes, peak ${memory.peakRssMb.toFixed(0)} MB.`,
        `Opening and subscribing ${p.viewers.toLocaleString('en-US')} viewers took ${connectSeconds.toFixed(1)} s.`,
        `${run.votes.toLocaleString('en-US')} votes in ${run.seconds.toFixed(1)} s (${(run.votes / run.seconds).toFixed(0)} votes/s, ` +
          `ack p99 ${latency.p99.toFixed(1)} ms) with every viewer subscribed; ${run.errors} errors.`,
        `Final standings (totalVotes = ${counted.toLocaleString('en-US')}) reached ${holdingFinal}/${p.viewers} viewers ` +
          `${settleMs.toFixed(0)} ms after the last ack; ${watch.updates.toLocaleString('en-US')} leaderboard updates delivered in all.`,
      ],
    };
  } finally {
    closeAll(viewers);
    closeAll(voters);
    await server.stop();
  }
}
