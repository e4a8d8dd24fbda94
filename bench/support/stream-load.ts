/**
 * One streaming run: the fake upstream (its own process) streams stamped tokens at a fixed rate,
 * the arena (its own process) relays them, and one socket.io client per battle here records, for
 * each token, its receipt minus the upstream's write time. Battles start over a ramp, or all at
 * the same instant (`rampMs: 0`). Reports the delays, both processes' CPU and this process's lag.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ModelConfigInput } from '../../server/models/config.ts';
import { BattleEnds, type BenchSocket, closeAll, connectMany, request, voterIdFor } from './clients.ts';
import { epochMs, type FakeOpenAiStats, readStamps } from './fake-openai.ts';
import { cpuMeter, startServer } from './server-process.ts';
import { Samples, type Summary } from './stats.ts';
import { sleep, withTimeout } from './time.ts';
import { startUpstreamProcess } from './upstream-child.ts';

export interface StreamPlan {
  battles: number;
  tokensPerSecond: number;
  answerSeconds: number;
  /** Starts spread evenly over this long; 0 = every battle started at the same instant. */
  rampMs: number;
  /** Write the server's CPU profile (`--cpu-prof`) into this folder. */
  cpuProfileDir?: string | undefined;
}

export interface StreamRun {
  /** Tokens sent inside the measured window (every battle streaming: after the ramp, before the ends). */
  window: Summary;
  /** Every token of the run, starts included. */
  all: Summary;
  windowSeconds: number;
  /** Server cores over the window, and the token rate it relayed (both sides of every battle). */
  serverCores: number;
  tokensPerSecond: number;
  /** This process (clients) and the upstream process over the window. */
  benchCores: number;
  upstreamCores: number;
  loopP99Ms: number;
  loopMaxMs: number;
  failed: number;
  expected: number;
  upstream: FakeOpenAiStats;
  rssMb: number;
}

/** monitorEventLoopDelay reports each sample including its resolution: subtract it back. */
const LOOP_RESOLUTION_MS = 1;
/** Margin around the window, so it holds neither the last start nor the first end. */
const MARGIN_MS = 500;

function upstreamModels(baseUrl: string): ModelConfigInput[] {
  return ['north', 'south', 'east', 'west'].map((name) => ({
    id: `bench-${name}`,
    name: `Bench ${name}`,
    provider: 'openai',
    baseUrl,
    model: `bench-${name}`,
  }));
}

/** Token delays, split by whether the token was sent inside the window. */
class DelayRecorder {
  readonly window = new Samples();
  readonly all = new Samples();
  constructor(
    readonly from: number,
    readonly to: number,
  ) {}

  listen(sockets: BenchSocket[]): void {
    for (const socket of sockets) {
      socket.on('battle:delta', (delta) => {
        const now = epochMs();
        for (const sent of readStamps(delta.text, now)) {
          this.all.push(now - sent);
          if (sent >= this.from && sent <= this.to) this.window.push(now - sent);
        }
      });
    }
  }
}

export async function runStreaming(p: StreamPlan): Promise<StreamRun> {
  const tokensPerAnswer = p.answerSeconds * p.tokensPerSecond;
  const upstream = await startUpstreamProcess({ tokensPerSecond: p.tokensPerSecond, tokensPerAnswer });
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  let sockets: BenchSocket[] = [];
  try {
    server = await startServer({ models: upstreamModels(upstream.baseUrl), ...(p.cpuProfileDir ? { cpuProfileDir: p.cpuProfileDir } : {}) });
    sockets = await connectMany(server.url, p.battles, { voterId: (i) => voterIdFor('stream', i) });
    const t0 = performance.now();
    const from = t0 + p.rampMs + MARGIN_MS;
    const to = t0 + p.answerSeconds * 1000 - MARGIN_MS;
    const toEpoch = (t: number) => performance.timeOrigin + t;
    const delays = new DelayRecorder(toEpoch(from), toEpoch(to));
    delays.listen(sockets);
    const loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });

    const start = async (socket: BenchSocket, i: number) => {
      if (p.rampMs > 0) await sleep((i * p.rampMs) / p.battles);
      const ends = new BattleEnds(socket);
      const { battleId } = await request(socket, 'battle:start', { prompt: `Stream benchmark ${i}` });
      await ends.finished(battleId);
      return ends.failed;
    };
    // Every start is emitted in this one turn of the loop when there is no ramp.
    const finished = Promise.all(sockets.map(start));
    await sleep(from - performance.now());
    const serverMeter = cpuMeter(server);
    const upstreamMeter = cpuMeter(upstream);
    const own0 = process.cpuUsage();
    loopDelay.enable();
    await sleep(to - performance.now());
    loopDelay.disable();
    const serverCores = serverMeter.stop();
    const upstreamCores = upstreamMeter.stop();
    const own = process.cpuUsage(own0);
    const windowSeconds = (to - from) / 1000;
    const rssMb = server.memory().rssMb;
    const results = await withTimeout(finished, p.answerSeconds * 1000 + 30_000, 'waiting for every answer to end');
    return {
      window: delays.window.summary(),
      all: delays.all.summary(),
      windowSeconds,
      serverCores,
      tokensPerSecond: p.battles * 2 * p.tokensPerSecond,
      benchCores: (own.user + own.system) / 1e6 / windowSeconds,
      upstreamCores,
      loopP99Ms: loopDelay.percentile(99) / 1e6 - LOOP_RESOLUTION_MS,
      loopMaxMs: loopDelay.max / 1e6 - LOOP_RESOLUTION_MS,
      failed: results.reduce((n, f) => n + f, 0),
      expected: p.battles * 2 * tokensPerAnswer,
      upstream: await upstream.stats(),
      rssMb,
    };
  } finally {
    closeAll(sockets);
    await server?.stop();
    await upstream.close();
  }
}
