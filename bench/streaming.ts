/**
 * Scenario 3, streaming fan-out: concurrent battles against a local OpenAI-compatible upstream
 * that streams at a fixed token rate. Each token carries its send time; the client computes the
 * delay the arena added between the upstream's write and the `battle:delta` it receives.
 *
 * Battles start over a ramp (like users arriving), then all of them stream at once: the headline
 * figures cover that steady window; the ramp, where starts and first tokens mix, is reported too.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ModelConfigInput } from '../server/models/config.ts';
import { BattleEnds, type BenchSocket, closeAll, connectMany, request, voterIdFor } from './support/clients.ts';
import { epochMs, readStamps, startFakeOpenAi } from './support/fake-openai.ts';
import type { ScenarioResult } from './support/report.ts';
import { cpuMeter, startServer } from './support/server-process.ts';
import { Samples } from './support/stats.ts';
import { sleep, withTimeout } from './support/time.ts';

export interface StreamingOptions {
  quick: boolean;
  /** Write the server's CPU profile (`--cpu-prof`) into this folder. */
  cpuProfileDir?: string;
}

/** monitorEventLoopDelay reports each sample including its resolution: subtract it back. */
const LOOP_RESOLUTION_MS = 1;
/** Margin around the steady window, so it holds neither the last start nor the first end. */
const MARGIN_MS = 500;

function plan(quick: boolean) {
  return quick
    ? { battles: 40, tokensPerSecond: 30, rampMs: 1_000, answerSeconds: 4 }
    : { battles: 200, tokensPerSecond: 30, rampMs: 5_000, answerSeconds: 15 };
}

function upstreamModels(baseUrl: string): ModelConfigInput[] {
  return ['north', 'south', 'east', 'west'].map((name) => ({
    id: `bench-${name}`,
    name: `Bench ${name}`,
    provider: 'openai',
    baseUrl,
    model: `bench-${name}`,
  }));
}

/** Token delays, split by whether the token was sent inside the steady window. */
class DelayRecorder {
  readonly steady = new Samples();
  readonly all = new Samples();
  constructor(readonly window: { from: number; to: number }) {}

  listen(sockets: BenchSocket[]): void {
    for (const socket of sockets) {
      socket.on('battle:delta', (delta) => {
        const now = epochMs();
        for (const sent of readStamps(delta.text)) {
          this.all.push(now - sent);
          if (sent >= this.window.from && sent <= this.window.to) this.steady.push(now - sent);
        }
      });
    }
  }
}

export async function benchStreaming(opts: StreamingOptions): Promise<ScenarioResult> {
  const p = plan(opts.quick);
  const tokensPerAnswer = p.answerSeconds * p.tokensPerSecond;
  const upstream = await startFakeOpenAi({ tokensPerSecond: p.tokensPerSecond, tokensPerAnswer });
  const server = await startServer({
    models: upstreamModels(upstream.baseUrl),
    ...(opts.cpuProfileDir ? { cpuProfileDir: opts.cpuProfileDir } : {}),
  });
  let sockets: BenchSocket[] = [];
  try {
    sockets = await connectMany(server.url, p.battles, { voterId: (i) => voterIdFor('stream', i) });
    const t0 = performance.now();
    const steadyFrom = t0 + p.rampMs + MARGIN_MS;
    const steadyTo = t0 + p.answerSeconds * 1000 - MARGIN_MS;
    const toEpoch = (t: number) => performance.timeOrigin + t;
    const delays = new DelayRecorder({ from: toEpoch(steadyFrom), to: toEpoch(steadyTo) });
    delays.listen(sockets);
    const loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });

    const finished = Promise.all(
      sockets.map(async (socket, i) => {
        await sleep((i * p.rampMs) / p.battles);
        const ends = new BattleEnds(socket);
        const { battleId } = await request(socket, 'battle:start', { prompt: `Stream benchmark ${i}` });
        await ends.finished(battleId);
        return ends.failed;
      }),
    );
    await sleep(steadyFrom - performance.now());
    const meter = cpuMeter(server);
    const ownCpu = process.cpuUsage();
    loopDelay.enable();
    await sleep(steadyTo - performance.now());
    loopDelay.disable();
    const cores = meter.stop();
    const own = process.cpuUsage(ownCpu);
    const benchCores = (own.user + own.system) / 1e6 / ((steadyTo - steadyFrom) / 1000);
    const rssMb = server.memory().rssMb;
    const results = await withTimeout(finished, p.answerSeconds * 1000 + 30_000, 'waiting for every answer to end');
    const failed = results.reduce((n, f) => n + f, 0);

    const steady = delays.steady.summary();
    const all = delays.all.summary();
    const expected = p.battles * 2 * tokensPerAnswer;
    const windowSeconds = (steadyTo - steadyFrom) / 1000;
    return {
      name: 'Streaming fan-out',
      setup:
        `${p.battles} battles (${p.battles * 2} upstream streams) against a local OpenAI-compatible server sending byte-exact ` +
        `\`chat.completion.chunk\` frames at ${p.tokensPerSecond} tokens/s, ${tokensPerAnswer} tokens per answer; starts spread over ` +
        `${p.rampMs / 1000} s, then ${windowSeconds.toFixed(1)} s with all ${p.battles} streaming at once (the measured window); ` +
        `one socket.io client per battle. Delay = the client's receipt of \`battle:delta\` minus the upstream's write time stamped in the token.`,
      figures: [
        { metric: 'added delay p50 (all streaming)', value: steady.p50, unit: 'ms', digits: 2 },
        { metric: 'added delay p99 (all streaming)', value: steady.p99, unit: 'ms', digits: 2, target: { kind: 'max', value: 20 } },
        { metric: 'server CPU (all streaming)', value: cores, unit: 'cores', digits: 2, target: { kind: 'max', value: 1 } },
      ],
      notes: [
        `Tokens received ${all.count.toLocaleString('en-US')} of ${expected.toLocaleString('en-US')} sent ` +
          `(${upstream.stats.tokensSent.toLocaleString('en-US')} written upstream); ${failed} answers ended in error.`,
        `All streaming (${steady.count.toLocaleString('en-US')} tokens): p95 ${steady.p95.toFixed(2)} ms, max ${steady.max.toFixed(1)} ms, mean ${steady.mean.toFixed(2)} ms.`,
        `Whole run including the ramp of starts: p50 ${all.p50.toFixed(2)} ms, p99 ${all.p99.toFixed(2)} ms, max ${all.max.toFixed(1)} ms.`,
        `Bench process (upstream + clients, its lag counts in the delay) during the window: ${benchCores.toFixed(2)} cores, ` +
          `event-loop delay p99 ${(loopDelay.percentile(99) / 1e6 - LOOP_RESOLUTION_MS).toFixed(1)} ms, max ${(loopDelay.max / 1e6 - LOOP_RESOLUTION_MS).toFixed(1)} ms.`,
        `Upstream writes that met a full socket buffer: ${upstream.stats.backpressured}. Server RSS while streaming: ${rssMb.toFixed(0)} MB.`,
      ],
    };
  } finally {
    closeAll(sockets);
    await server.stop();
    await upstream.close();
  }
}
