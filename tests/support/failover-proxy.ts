/**
 * A stand-in for the sticky reverse proxy in front of several instances: every TCP connection goes
 * to the first upstream that accepts it, in this proxy's order of preference. A page stays on its
 * instance while that one listens; once it stops listening (killed, or draining after SIGTERM),
 * the page's reconnection reaches the next one. Loopback only.
 */
import { connect, createServer, type Socket } from 'node:net';

export interface FailoverProxy {
  url: string;
  stop(): Promise<void>;
}

export async function startFailoverProxy(upstreamPorts: () => number[]): Promise<FailoverProxy> {
  const open = new Set<Socket>();
  const server = createServer((client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => client.destroy());
    client.pause();
    const tryUpstream = (ports: number[]) => {
      const [port, ...rest] = ports;
      if (port === undefined) return client.destroy();
      const upstream = connect({ port, host: '127.0.0.1' });
      upstream.once('error', () => {
        upstream.destroy();
        tryUpstream(rest);
      });
      upstream.once('connect', () => {
        open.add(upstream);
        upstream.removeAllListeners('error');
        upstream.on('error', () => client.destroy());
        upstream.on('close', () => {
          open.delete(upstream);
          client.destroy();
        });
        client.on('close', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
    };
    tryUpstream(upstreamPorts());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
