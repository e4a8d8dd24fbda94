/**
 * Scenario 3, streaming: concurrent battles against a local OpenAI-compatible upstream that
 * streams stamped tokens at a fixed rate (bench/support/stream-load.ts). Three shapes:
 * - fan-out: 200 battles (400 answers) starting over a ramp, like users arriving, then all at once;
 * - burst: 150 battles started at the same instant (what a start costs the streams already running);
 * - 1,000 answers: 500 battles over a ramp, then all at once.
 * Each reports the added delay, the server's CPU and its CPU per 1,000 tokens/s, and this process's
 * own lag (it counts in the delay) and the load of other processes on the machine.
 */
import { otherLoadMeter } from './support/machine.ts';
import type { Figure, ScenarioResult } from './support/report.ts';
import { runStreaming, type StreamPlan, type StreamRun } from './support/stream-load.ts';

export interface StreamingOptions {
  quick: boolean;
  /** Write the server's CPU profile (`--cpu-prof`) into this folder (fan-out only). */
  cpuProfileDir?: string;
}

const n = (x: number) => x.toLocaleString('en-US');
/** Cores per 1,000 tokens/s relayed: comparable across scenarios of any size. */
const perThousand = (run: StreamRun) => run.serverCores / (run.tokensPerSecond / 1000);

function commonNotes(run: StreamRun, others: number): string[] {
  return [
    `Tokens received ${n(run.all.count)} of ${n(run.expected)} sent (${n(run.upstream.tokensSent)} written upstream); ${run.failed} answers ended in error.`,
    `Server: ${run.serverCores.toFixed(2)} cores for ${n(run.tokensPerSecond)} tokens/s, ${((run.serverCores / run.tokensPerSecond) * 1e6).toFixed(1)} µs of CPU per token; RSS ${run.rssMb.toFixed(0)} MB.`,
    `Bench process (socket.io clients; its lag counts in the delay): ${run.benchCores.toFixed(2)} cores, event-loop delay p99 ${run.loopP99Ms.toFixed(1)} ms, max ${run.loopMaxMs.toFixed(1)} ms. ` +
      `Upstream process: ${run.upstreamCores.toFixed(2)} cores; writes that met a full socket buffer: ${run.upstream.backpressured}.`,
    `Other processes on the machine used ${others.toFixed(2)} cores on average during this scenario.`,
  ];
}

function cpuFigures(run: StreamRun, label: string, maxCores?: number): Figure[] {
  return [
    {
      metric: `server CPU (${label})`,
      value: run.serverCores,
      unit: 'cores',
      digits: 2,
      ...(maxCores ? { target: { kind: 'max' as const, value: maxCores } } : {}),
    },
    { metric: `server CPU per 1,000 tokens/s (${label})`, value: perThousand(run), unit: 'cores', digits: 3 },
  ];
}

async function measured(plan: StreamPlan): Promise<{ run: StreamRun; others: number }> {
  const others = otherLoadMeter();
  const run = await runStreaming(plan);
  return { run, others: others.stop() };
}

function describe(p: StreamPlan, what: string): string {
  return (
    `${n(p.battles)} battles (${n(p.battles * 2)} upstream streams) against a local OpenAI-compatible server (its own process) sending byte-exact ` +
    `\`chat.completion.chunk\` frames at ${p.tokensPerSecond} tokens/s, ${p.answerSeconds * p.tokensPerSecond} tokens per answer; ${what}; ` +
    `one socket.io client per battle. Delay = the client's receipt of \`battle:delta\` minus the upstream's write time stamped in the token.`
  );
}

async function fanOut(opts: StreamingOptions): Promise<ScenarioResult> {
  const p: StreamPlan = opts.quick
    ? { battles: 40, tokensPerSecond: 30, rampMs: 1_000, answerSeconds: 4 }
    : { battles: 200, tokensPerSecond: 30, rampMs: 5_000, answerSeconds: 15 };
  const { run, others } = await measured({ ...p, cpuProfileDir: opts.cpuProfileDir });
  const w = run.window;
  return {
    name: 'Streaming fan-out',
    setup: describe(
      p,
      `starts spread over ${p.rampMs / 1000} s, then ${run.windowSeconds.toFixed(1)} s with all ${p.battles} streaming at once (the measured window)`,
    ),
    figures: [
      { metric: 'added delay p50 (all streaming)', value: w.p50, unit: 'ms', digits: 2 },
      { metric: 'added delay p99 (all streaming)', value: w.p99, unit: 'ms', digits: 2, target: { kind: 'max', value: 20 } },
      ...cpuFigures(run, 'all streaming', 0.3),
    ],
    notes: [
      `All streaming (${n(w.count)} tokens): p95 ${w.p95.toFixed(2)} ms, max ${w.max.toFixed(1)} ms, mean ${w.mean.toFixed(2)} ms.`,
      `Whole run including the ramp of starts: p50 ${run.all.p50.toFixed(2)} ms, p99 ${run.all.p99.toFixed(2)} ms, max ${run.all.max.toFixed(1)} ms.`,
      ...commonNotes(run, others),
    ],
  };
}

async function burst(opts: StreamingOptions): Promise<ScenarioResult> {
  const p: StreamPlan = opts.quick
    ? { battles: 40, tokensPerSecond: 30, rampMs: 0, answerSeconds: 3 }
    : { battles: 150, tokensPerSecond: 30, rampMs: 0, answerSeconds: 8 };
  const { run, others } = await measured(p);
  const a = run.all;
  return {
    name: 'Streaming burst',
    setup: describe(p, `all ${p.battles} \`battle:start\` requests sent in the same instant (one turn of the bench's event loop)`),
    figures: [
      { metric: 'added delay p50 (every token)', value: a.p50, unit: 'ms', digits: 2 },
      { metric: 'added delay p99 (every token)', value: a.p99, unit: 'ms', digits: 2, target: { kind: 'max', value: 20 } },
      ...cpuFigures(run, 'after the starts'),
    ],
    notes: [
      `Every token (${n(a.count)}), the first ones included: p95 ${a.p95.toFixed(2)} ms, max ${a.max.toFixed(1)} ms, mean ${a.mean.toFixed(2)} ms; ` +
        `from 0.5 s after the starts on: p99 ${run.window.p99.toFixed(2)} ms.`,
      ...commonNotes(run, others),
    ],
  };
}

async function thousand(opts: StreamingOptions): Promise<ScenarioResult> {
  const p: StreamPlan = opts.quick
    ? { battles: 100, tokensPerSecond: 30, rampMs: 1_000, answerSeconds: 4 }
    : { battles: 500, tokensPerSecond: 30, rampMs: 5_000, answerSeconds: 15 };
  const { run, others } = await measured(p);
  const w = run.window;
  return {
    name: 'Streaming 1,000 answers',
    setup: describe(
      p,
      `starts spread over ${p.rampMs / 1000} s, then ${run.windowSeconds.toFixed(1)} s with all ${p.battles} streaming at once (the measured window)`,
    ),
    figures: [
      { metric: 'added delay p50 (all streaming)', value: w.p50, unit: 'ms', digits: 2 },
      { metric: 'added delay p99 (all streaming)', value: w.p99, unit: 'ms', digits: 2, target: { kind: 'max', value: 20 } },
      ...cpuFigures(run, 'all streaming'),
    ],
    notes: [
      `All streaming (${n(w.count)} tokens): p95 ${w.p95.toFixed(2)} ms, max ${w.max.toFixed(1)} ms, mean ${w.mean.toFixed(2)} ms.`,
      `Whole run including the ramp of starts: p50 ${run.all.p50.toFixed(2)} ms, p99 ${run.all.p99.toFixed(2)} ms, max ${run.all.max.toFixed(1)} ms.`,
      ...commonNotes(run, others),
    ],
  };
}

/** The three shapes in turn, each on a fresh server and upstream; each result notes its own other-process load. */
export async function benchStreaming(opts: StreamingOptions): Promise<ScenarioResult[]> {
  return [await fanOut(opts), await burst(opts), await thousand(opts)];
}
