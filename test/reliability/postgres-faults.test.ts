/**
 * Bounded waits on the store (issue item 4): with PostgreSQL frozen (no reply, no RST) or refused,
 * every request is answered 503 with Retry-After in its API's shape, /readyz answers 503 within its
 * own bound, and everything serves again once the store answers.
 */
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { registry } from '../../server/apis/registry.ts';
import { createApp } from '../../server/app.ts';
import type { DemoTenant } from '../../server/core/types.ts';
import { GET_OPERATION, tenantHeaders } from '../helpers/apis.ts';
import { type FaultyStore, openFaultyStore } from '../helpers/faulty-store.ts';
import { API_NAMES, specValidator } from '../helpers/spec.ts';

let store: FaultyStore;
let url: string;
let close: () => Promise<void>;
const demo: Record<string, DemoTenant[]> = {};

beforeAll(async () => {
  store = await openFaultyStore({ connectMs: 300, statementMs: 300, queryMs: 400 }, async (db) => {
    for (const api of registry) demo[api.name] = await api.seedDemo(db);
  });
  const app = createApp({
    db: store.db,
    logger: pino({ level: 'silent' }),
    readyTimeoutMs: 300,
    rateLimit: { limit: 10_000 },
    // Every request must reach the store here: a cached principal or final-run body needs none,
    // and would (rightly) still answer 200 while the store is gone (test/server/*-cache.test.ts).
    principalCache: { ttlMs: 0 },
    finalBodyCacheBytes: 0,
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await store.close();
  };
});
afterAll(() => close?.());

async function everyApi() {
  return Promise.all(
    API_NAMES.map(async (api) => {
      const tenant = demo[api]?.[0];
      if (!tenant) throw new Error(`no demo tenant for ${api}`);
      const res = await fetch(url + (tenant.runs[0]?.path ?? ''), { headers: tenantHeaders(tenant) });
      return { api, res, body: await res.json() };
    }),
  );
}

async function untilReady(): Promise<number> {
  // The pool notices the store is back on its next connection; a few tries, each bounded.
  let status = 0;
  for (let i = 0; i < 50 && status !== 200; i++) {
    status = (await fetch(`${url}/readyz`)).status;
    if (status !== 200) await new Promise((r) => setTimeout(r, 100));
  }
  return status;
}

describe('PostgreSQL frozen or refused', () => {
  test.each(['freeze', 'refuse'] as const)(
    '%s: 503 with Retry-After in each API’s shape, then recovery',
    async (mode) => {
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      store.set(mode);
      // Many at once: none may pile up waiting on the store.
      const rounds = await Promise.all([everyApi(), everyApi(), everyApi()]);
      for (const { api, res, body } of rounds.flat()) {
        expect(res.status, `${api} (${store.kind})`).toBe(503);
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(specValidator(api).validate(GET_OPERATION[api], 503, body).errors).toBe('No errors');
      }
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(503);
      expect(Number(ready.headers.get('retry-after'))).toBeGreaterThan(0);
      store.set('forward');
      expect(await untilReady()).toBe(200);
      for (const { api, res } of await everyApi()) expect(res.status, api).toBe(200);
    },
  );
});
