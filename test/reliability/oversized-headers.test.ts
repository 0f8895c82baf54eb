/**
 * Oversized Authorization (issue item 11): 64 KB reaches each API and gets its own 401; a head
 * beyond the server's limit (MAX_HEADER_BYTES) gets a plain 431 from Node's layer. Never a reset.
 */
import { type AddressInfo, connect } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { registry } from '../../server/apis/registry.ts';
import { createApp } from '../../server/app.ts';
import type { DemoTenant } from '../../server/core/types.ts';
import { createHttpServer } from '../../server/http/http-server.ts';
import { GET_OPERATION } from '../helpers/apis.ts';
import { API_NAMES, specValidator } from '../helpers/spec.ts';
import { openTestStore, type TestStore } from '../helpers/store.ts';

let store: TestStore;
let port: number;
let close: () => Promise<void>;
const demo: Record<string, DemoTenant[]> = {};

beforeAll(async () => {
  store = await openTestStore();
  for (const api of registry) demo[api.name] = await api.seedDemo(store.db);
  const server = createHttpServer(createApp({ db: store.db, logger: pino({ level: 'silent' }) }));
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  port = (server.address() as AddressInfo).port;
  close = async () => {
    await new Promise((r) => server.close(r));
    await store.close();
  };
});
afterAll(() => close());

/**
 * Writes one raw request and reads until the server closes: the status line and body, or the
 * socket error (ECONNRESET) the client saw.
 */
function rawExchange(path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; body: string; error?: string }>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.on('data', (c) => {
      data += c;
    });
    const done = (error?: string) => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0);
      const body = data.slice(data.indexOf('\r\n\r\n') + 4);
      resolve({ status, body, ...(error ? { error } : {}) });
    };
    socket.on('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
    socket.on('end', () => done());
    const head = Object.entries({ host: `127.0.0.1:${port}`, connection: 'close', ...headers })
      .map(([k, v]) => `${k}: ${v}`)
      .join('\r\n');
    socket.write(`GET ${path} HTTP/1.1\r\n${head}\r\n\r\n`);
  });
}

describe('oversized Authorization', () => {
  test.each(API_NAMES)('%s: a 64 KB bearer credential is its own 401, not a reset', async (api) => {
    const tenant = demo[api]?.[0];
    const res = await rawExchange(tenant?.runs[0]?.path ?? '', {
      authorization: `Bearer ${'a'.repeat(64 * 1024)}`,
      ...(tenant?.headers ?? {}),
    });
    expect(res.error).toBeUndefined();
    expect(res.status).toBe(401);
    expect(specValidator(api).validate(GET_OPERATION[api], 401, JSON.parse(res.body)).errors).toBe('No errors');
  });

  test('a head beyond the server limit is a 431 without a body, with Connection: close, not a reset', async () => {
    const res = await rawExchange('/api/v1/runs/101/summary', { authorization: `Bearer ${'a'.repeat(200 * 1024)}` });
    expect(res.error).toBeUndefined();
    expect(res.status).toBe(431);
    expect(res.body).toBe('');
  });
});
