/** What the figures were measured on, for the report header. */
import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface Machine {
  cpu: string;
  cores: number;
  ramGb: number;
  node: string;
  os: string;
  date: string;
}

export function describeMachine(now = new Date()): Machine {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu;
  } catch {
    // Not Linux: os.cpus() is as good as it gets.
  }
  return {
    cpu,
    cores: os.availableParallelism(),
    ramGb: os.totalmem() / 2 ** 30,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    date: `${now.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  };
}

const TICKS_PER_SECOND = 100;

function systemBusySeconds(): number {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = fields.map(Number) as number[];
  return (user! + nice! + system! + irq! + softirq! + (steal ?? 0)) / TICKS_PER_SECOND;
}

/** CPU time of this process and of every child it has reaped (servers, builds), in seconds. */
function ownTreeSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  // utime, stime, cutime, cstime are fields 14–17 (indices 11–14 after the command name).
  return (f[11]! + f[12]! + f[13]! + f[14]!) / TICKS_PER_SECOND;
}

/**
 * Cores used by everything else on the machine (other people's builds and tests) while a
 * scenario ran: noise the figures should be read with. Children must have exited by `stop()`.
 */
export function otherLoadMeter(): { stop(): number } {
  const busy0 = systemBusySeconds();
  const own0 = ownTreeSeconds();
  const wall0 = performance.now();
  return {
    stop: () => {
      const others = systemBusySeconds() - busy0 - (ownTreeSeconds() - own0);
      return Math.max(0, others) / ((performance.now() - wall0) / 1000);
    },
  };
}
