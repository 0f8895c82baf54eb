import { createHash } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';

/**
 * A Redis stand-in that speaks just enough RESP for ioredis and rate-limit-redis (INFO, PING,
 * SCRIPT LOAD, EVALSHA of its two scripts, DECR, DEL): the Redis fault tests run on it when
 * REDIS_URL is unset, behind the same TCP proxy as the real one.
 */
export async function startFakeRedis(): Promise<{ port: number; close(): Promise<void> }> {
  const scripts = new Map<string, 'increment' | 'get'>();
  const keys = new Map<string, { hits: number; expiresAt: number }>();
  const live = (key: string) => {
    const e = keys.get(key);
    if (e && e.expiresAt <= Date.now()) keys.delete(key);
    return keys.get(key);
  };
  const bulk = (s: string | null) => (s === null ? '$-1\r\n' : `$${Buffer.byteLength(s)}\r\n${s}\r\n`);
  const int = (n: number) => `:${n}\r\n`;

  function run(args: string[]): string {
    const [name = '', ...rest] = args;
    switch (name.toUpperCase()) {
      case 'PING':
        return '+PONG\r\n';
      case 'INFO':
        return bulk('# Server\r\nredis_version:7.2.0\r\nloading:0\r\n');
      case 'SCRIPT': {
        const body = rest[1] ?? '';
        const sha = createHash('sha1').update(body).digest('hex');
        scripts.set(sha, body.includes('INCR') ? 'increment' : 'get');
        return bulk(sha);
      }
      case 'EVALSHA': {
        const [sha = '', , key = '', windowMs = '0'] = rest;
        const script = scripts.get(sha);
        if (!script) return '-NOSCRIPT No matching script.\r\n';
        const entry = live(key);
        if (script === 'get') {
          return `*2\r\n${bulk(entry ? String(entry.hits) : null)}${int(entry ? entry.expiresAt - Date.now() : -2)}`;
        }
        if (!entry) {
          keys.set(key, { hits: 1, expiresAt: Date.now() + Number(windowMs) });
          return `*2\r\n${int(1)}${int(Number(windowMs))}`;
        }
        entry.hits++;
        return `*2\r\n${int(entry.hits)}${int(entry.expiresAt - Date.now())}`;
      }
      case 'DECR': {
        const entry = live(rest[0] ?? '');
        if (entry) entry.hits--;
        return int(entry?.hits ?? -1);
      }
      case 'DEL':
        return int(keys.delete(rest[0] ?? '') ? 1 : 0);
      default:
        return '+OK\r\n';
    }
  }

  /** Parses complete RESP arrays of bulk strings from the buffer; returns what is left over. */
  function parse(buffer: Buffer, socket: Socket): Buffer {
    let at = 0;
    for (;;) {
      const start = at;
      const line = (): string | undefined => {
        const end = buffer.indexOf('\r\n', at);
        if (end < 0) return undefined;
        const text = buffer.subarray(at, end).toString();
        at = end + 2;
        return text;
      };
      const head = line();
      if (head === undefined || !head.startsWith('*')) return buffer.subarray(start);
      const args: string[] = [];
      let complete = true;
      for (let i = 0; i < Number(head.slice(1)); i++) {
        const len = line();
        if (len === undefined || at + Number(len.slice(1)) + 2 > buffer.length) {
          complete = false;
          break;
        }
        args.push(buffer.subarray(at, at + Number(len.slice(1))).toString());
        at += Number(len.slice(1)) + 2;
      }
      if (!complete) return buffer.subarray(start);
      socket.write(run(args));
    }
  }

  const server: Server = createServer((socket) => {
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = parse(Buffer.concat([pending, chunk]), socket);
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }),
  };
}
