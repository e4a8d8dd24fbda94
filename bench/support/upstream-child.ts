/**
 * The fake OpenAI-compatible upstream in a process of its own, so a thousand streams' timers and
 * writes do not queue behind the bench's socket.io clients (and its lag, in the delay, stays the
 * clients' own). Started by `startUpstreamProcess()`; speaks over the IPC channel.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type FakeOpenAiOptions, type FakeOpenAiStats, startFakeOpenAi } from './fake-openai.ts';
import { readCpuSeconds } from './server-process.ts';

type ToChild = { type: 'stats' } | { type: 'close' };
type FromChild = { type: 'ready'; baseUrl: string } | { type: 'stats'; stats: FakeOpenAiStats };

export interface UpstreamProcess {
  baseUrl: string;
  pid: number;
  cpuSeconds(): number;
  stats(): Promise<FakeOpenAiStats>;
  close(): Promise<void>;
}

const START_TIMEOUT_MS = 20_000;

export async function startUpstreamProcess(opts: FakeOpenAiOptions): Promise<UpstreamProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), JSON.stringify(opts)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.once('exit', () => child.kill('SIGKILL'));
  const next = <T extends FromChild['type']>(type: T) =>
    new Promise<Extract<FromChild, { type: T }>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the upstream process sent no ${type} within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
      const onMessage = (m: FromChild) => {
        if (m.type !== type) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(m as Extract<FromChild, { type: T }>);
      };
      child.on('message', onMessage);
    });
  const { baseUrl } = await next('ready');
  const send = (m: ToChild) => child.send(m);
  return {
    baseUrl,
    pid: child.pid!,
    cpuSeconds: () => readCpuSeconds(child.pid!),
    stats: async () => {
      const reply = next('stats');
      send({ type: 'stats' });
      return (await reply).stats;
    },
    close: async () => {
      if (child.exitCode === null) send({ type: 'close' });
      await exited;
    },
  };
}

// Run as the child: serve until told to close.
if (process.argv[1] === fileURLToPath(import.meta.url) && process.send) {
  const upstream = await startFakeOpenAi(JSON.parse(process.argv[2]!) as FakeOpenAiOptions);
  const reply = (m: FromChild) => process.send!(m);
  process.on('message', async (m: ToChild) => {
    if (m.type === 'stats') reply({ type: 'stats', stats: upstream.stats });
    if (m.type === 'close') {
      await upstream.close();
      process.exit(0);
    }
  });
  reply({ type: 'ready', baseUrl: upstream.baseUrl });
}
