/**
 * Redis that fails open cleanly (issue item 5): with Redis frozen or refused (through an in-test
 * TCP proxy; in front of REDIS_URL, or of an in-test RESP stand-in when it is unset), every request
 * is answered, the limits are still enforced in process with samples' headers, /readyz says
 * degraded, each transition is logged once, and the counters go back to Redis when it answers.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { samplesApi } from '../../server/apis/samples/index.ts';
import { openRedis } from '../../server/store/redis.ts';
import { startFakeRedis } from '../helpers/fake-redis.ts';
import { rawRequest } from '../helpers/http.ts';
import { bearer, startTestServer, type TestServer } from '../helpers/server.ts';
import { type ProxyMode, startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';

const lines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    lines.push(String(chunk));
    done();
  },
});
const logged = (text: string) => lines.filter((l) => l.includes(text)).length;

let proxy: TcpProxy;
let server: TestServer;
let redis: ReturnType<typeof openRedis>;
let stopFake: (() => Promise<void>) | undefined;
let key: string;
const prefix = `test:redis-faults:${process.pid}:${Date.now()}:`;

beforeAll(async () => {
  let target = { host: '127.0.0.1', port: 0 };
  if (process.env.REDIS_URL) {
    const u = new URL(process.env.REDIS_URL);
    target = { host: u.hostname, port: Number(u.port || 6379) };
  } else {
    const fake = await startFakeRedis();
    target.port = fake.port;
    stopFake = fake.close;
  }
  proxy = await startTcpProxy(target);
  // Small, so the frozen case is quick; not so small that a busy test machine trips it spuriously.
  redis = openRedis(`redis://127.0.0.1:${proxy.port}`, { commandTimeoutMs: 300 });
  redis.on('error', () => {});
  await new Promise((r) => redis.once('ready', r));
  server = await startTestServer({
    apis: [samplesApi],
    redis,
    redisPrefix: prefix,
    logger: pino({ level: 'info' }, sink),
    rateLimit: { limit: 5, windowMs: 60_000 },
    failedAuthLimit: { limit: 3, windowMs: 60_000 },
  });
  key = server.demo.samples?.[0]?.apiKey ?? '';
});

afterAll(async () => {
  proxy.set('forward');
  await server.close();
  if (process.env.REDIS_URL) {
    const direct = openRedis(process.env.REDIS_URL);
    await new Promise((r) => direct.once('ready', r));
    const keys = await direct.keys(`${prefix}*`);
    if (keys.length) await direct.del(...keys);
    direct.disconnect();
  }
  redis.disconnect();
  await proxy.close();
  await stopFake?.();
});

async function readiness(): Promise<string> {
  return ((await (await server.get('/readyz')).json()) as { status: string }).status;
}

async function until(status: string): Promise<string> {
  let now = await readiness();
  for (let i = 0; i < 60 && now !== status; i++) {
    await new Promise((r) => setTimeout(r, 100));
    now = await readiness();
  }
  return now;
}

/** n requests from one loopback address; each with its status and samples' budget headers. */
async function send(k: string, n: number, localAddress: string) {
  const out: Array<{ status: number; limit: unknown }> = [];
  for (let i = 0; i < n; i++) {
    const res = await rawRequest(`${server.url}/api/v1/runs/101/summary`, {
      headers: bearer(typeof k === 'string' && k.endsWith('-') ? `${k}${i}` : k),
      localAddress,
    });
    out.push({ status: res.status, limit: res.headers['x-ratelimit-limit'] });
  }
  return out;
}

/** Each outage's clients come from addresses of their own: in-process counts outlive an outage. */
const ADDRESSES = { freeze: ['127.0.0.2', '127.0.0.3'], refuse: ['127.0.0.4', '127.0.0.5'] } as Record<
  ProxyMode,
  [string, string]
>;

describe.each(['freeze', 'refuse'] as ProxyMode[])('Redis %s', (mode) => {
  test('requests are answered, limits enforced in process with headers, /readyz degraded, logged once', async () => {
    const outagesBefore = logged('redis unreachable');
    expect(await until('ready')).toBe('ready');
    proxy.set(mode);
    // A fresh caller for this outage: its in-process budget starts at zero.
    const guesses = await send(`${mode}-guess-`, 5, ADDRESSES[mode][0]);
    expect(guesses.map((g) => g.status)).toEqual([401, 401, 401, 429, 429]);
    for (const g of guesses) expect(g.limit).toBe('3');
    expect(await readiness()).toBe('degraded');
    expect(logged('redis unreachable')).toBe(outagesBefore + 1);
    proxy.set('forward');
    expect(await until('ready')).toBe('ready');
    expect(logged('redis answers again')).toBe(outagesBefore + 1);
  });

  test('an accepted caller keeps its budget headers and is limited per process during the outage', async () => {
    const own = server.demo.samples?.[1]?.apiKey ?? key;
    proxy.set(mode);
    const statuses = await send(own, 7, ADDRESSES[mode][1]);
    proxy.set('forward');
    // Counted in process from the outage's first request: 5 accepted, then refused.
    expect(statuses.map((s) => s.status).slice(-2)).toEqual([429, 429]);
    expect(statuses.filter((s) => s.status === 200).length).toBeLessThanOrEqual(5);
    for (const s of statuses) expect(s.limit).toBe('5');
    expect(await until('ready')).toBe('ready');
  });
});

test('back on Redis, counting resumes there: two processes on the same Redis share one budget', async () => {
  expect(await until('ready')).toBe('ready');
  // Two more app instances (siblings on this file's store) with a patient client: a busy machine can
  // stall the event loop past a small command timeout, which would (correctly) fail over to in-process counts.
  const steady = openRedis(`redis://127.0.0.1:${proxy.port}`, { commandTimeoutMs: 5000 });
  steady.on('error', () => {});
  await new Promise((r) => steady.once('ready', r));
  const options = {
    redis: steady,
    redisPrefix: `${prefix}shared:`,
    logger: pino({ level: 'silent' }),
    rateLimit: { limit: 5, windowMs: 60_000 },
  };
  const one = await server.sibling(options);
  const two = await server.sibling(options);
  try {
    const k = one.demo.samples?.[0]?.apiKey ?? '';
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      statuses.push((await one.get('/api/v1/runs/101/summary', bearer(k))).status);
      statuses.push((await two.get('/api/v1/runs/101/summary', bearer(k))).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  } finally {
    await one.close();
    await two.close();
    steady.disconnect();
  }
});
