/**
 * The committed reverse-proxy config (deploy/nginx-arena.conf) run by Debian's nginx on loopback, in
 * front of arena processes: only its upstream `server` lines and its `listen` are rewritten, so the
 * test exercises the file compose mounts. Never skipped in CI: a missing nginx fails there.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { freePort } from './services.ts';

export const nginxConfPath = path.resolve(import.meta.dirname, '../../deploy/nginx-arena.conf');

const nginxBinary = ((): string | null => {
  for (const candidate of ['/usr/sbin/nginx', '/usr/local/sbin/nginx']) {
    try {
      execFileSync(candidate, ['-v'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // next
    }
  }
  return null;
})();

export const skipNginx = !nginxBinary && process.env.CI !== 'true';

export interface Nginx {
  url: string;
  port: number;
  process: ChildProcess;
  errorLog: () => string;
  stop(): Promise<void>;
}

/** The committed config with its upstream servers replaced, in order, by `upstreams` (host:port). */
export function rewrittenConf(upstreams: string[], listenPort: number): string {
  const conf = readFileSync(nginxConfPath, 'utf8');
  let next = 0;
  const rewritten = conf
    .replace(/^(\s*)server arena-\d+:3000(.*);$/gm, (_line, indent: string, rest: string) => {
      const upstream = upstreams[next++];
      if (!upstream) throw new Error('deploy/nginx-arena.conf lists more servers than the test started');
      return `${indent}server ${upstream}${rest};`;
    })
    .replace(/^(\s*)listen 80;$/m, `$1listen 127.0.0.1:${listenPort};`);
  if (next !== upstreams.length) throw new Error(`deploy/nginx-arena.conf lists ${next} servers, the test started ${upstreams.length}`);
  return rewritten;
}

export async function startNginx(dir: string, upstreams: string[]): Promise<Nginx> {
  if (!nginxBinary) throw new Error('nginx is not installed (apt-get install nginx)');
  const port = await freePort();
  mkdirSync(path.join(dir, 'temp'), { recursive: true });
  writeFileSync(path.join(dir, 'arena.conf'), rewrittenConf(upstreams, port));
  const temp = (name: string) => path.join(dir, 'temp', name);
  writeFileSync(
    path.join(dir, 'nginx.conf'),
    [
      'daemon off;',
      'worker_processes 1;',
      // As root, workers would run as nobody and could not use the test's temp folder.
      ...(process.getuid?.() === 0 ? ['user root;'] : []),
      `pid ${path.join(dir, 'nginx.pid')};`,
      `error_log ${path.join(dir, 'error.log')} warn;`,
      'events { worker_connections 1024; }',
      'http {',
      '  access_log off;',
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${temp(t)};`),
      `  include ${path.join(dir, 'arena.conf')};`,
      '}',
      '',
    ].join('\n'),
  );
  const child = spawn(nginxBinary, ['-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const errorLog = () => {
    try {
      return readFileSync(path.join(dir, 'error.log'), 'utf8');
    } catch {
      return '';
    }
  };
  const deadline = Date.now() + 10_000;
  while (!(await listening(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`nginx did not start:\n${output}\n${errorLog()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    process: child,
    errorLog,
    async stop() {
      if (child.exitCode === null) child.kill('SIGQUIT');
      await exited;
    },
  };
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
