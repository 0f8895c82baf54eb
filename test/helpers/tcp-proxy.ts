import { connect, createServer, type Server, type Socket } from 'node:net';

export type ProxyMode = 'forward' | 'refuse' | 'freeze';

/**
 * A loopback TCP proxy in front of a real service (PostgreSQL, Redis) that a test can break:
 * `refuse` closes new connections at once and resets the open ones, `freeze` keeps every
 * connection open but forwards nothing either way (a hung server, no RST), `forward` heals it.
 * The machine's own services are never touched.
 */
export interface TcpProxy {
  port: number;
  url(template: string): string;
  set(mode: ProxyMode): void;
  /** Resets (RST) every open connection. */
  reset(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: ProxyMode = 'forward';
  const pairs = new Set<{ client: Socket; upstream: Socket; held: Buffer[][] }>();
  const server: Server = createServer((client) => {
    if (mode === 'refuse') {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    const pair = { client, upstream, held: [[], []] as Buffer[][] };
    pairs.add(pair);
    const pipe = (from: Socket, to: Socket, held: Buffer[]) => {
      from.on('data', (chunk: Buffer) => {
        // Frozen: the bytes are swallowed, as by a server that stopped reading and answering.
        if (mode === 'freeze') held.push(chunk);
        else to.write(chunk);
      });
    };
    pipe(client, upstream, pair.held[0] ?? []);
    pipe(upstream, client, pair.held[1] ?? []);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const resetAll = () => {
    for (const { client, upstream } of pairs) {
      client.resetAndDestroy();
      upstream.destroy();
    }
    pairs.clear();
  };
  return {
    port,
    url: (template) => {
      const u = new URL(template);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    set(next) {
      const was = mode;
      mode = next;
      if (next === 'refuse') resetAll();
      // Thawed: what was held is delivered late, like a server that resumes.
      if (was === 'freeze' && next === 'forward') {
        for (const pair of pairs) {
          for (const chunk of pair.held[0]?.splice(0) ?? []) pair.upstream.write(chunk);
          for (const chunk of pair.held[1]?.splice(0) ?? []) pair.client.write(chunk);
        }
      }
    },
    reset: resetAll,
    async close() {
      resetAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
