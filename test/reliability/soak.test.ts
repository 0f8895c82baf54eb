/**
 * Soak: several loopback clients for RELIABILITY_SOAK_S seconds (10 in `npm test`), mixing
 * legitimate reads and pages, HEADs, guessed keys, forged cursors, odd ids and aborted requests.
 * Afterwards: no 5xx, every body in its contract, no legitimate client refused, memory back near
 * where it started, and the store unchanged. The duration is how long load is generated, not a bound.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ApiName, DemoTenant } from '../../server/core/types.ts';
import { GET_OPERATION, LIST_OPERATION, listPath, TERMINAL_STATUSES, tenantHeaders } from '../helpers/apis.ts';
import { rawRequest } from '../helpers/http.ts';
import { limitCounters } from '../helpers/limits.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { API_NAMES, specValidator } from '../helpers/spec.ts';

const SECONDS = Number(process.env.RELIABILITY_SOAK_S || 10);
const validators = Object.fromEntries(API_NAMES.map((a) => [a, specValidator(a)]));
const counters = limitCounters();
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    ...counters.options(),
    rateLimit: { limit: 1_000_000, windowMs: 60_000 },
    failedAuthLimit: { limit: 50, windowMs: 60_000 },
  });
});
afterAll(async () => {
  await server.close();
  await counters.close();
});

async function storeCounts(): Promise<Record<string, number>> {
  const tables = await server.store.db.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1",
  );
  const out: Record<string, number> = {};
  // The one table a read writes: checked on its own below.
  for (const { table_name } of tables.filter((t) => t.table_name !== 'final_bodies')) {
    const [row] = await server.store.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table_name}"`);
    out[table_name] = row?.n ?? -1;
  }
  return out;
}

interface Tally {
  requests: number;
  fiveHundreds: string[];
  violations: string[];
  refusedLegit: string[];
  aborted: number;
  errors: string[];
}

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)] as T;

/** Heap in use after a full collection, so the figure is what is kept, not the GC's timing. */
function settledHeap(): number {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}

describe(`soak (${SECONDS} s)`, () => {
  test('mixed valid, invalid and aborted traffic: no 5xx, no contract violation, no legitimate client refused', async () => {
    const before = await storeCounts();
    const heapStart = settledHeap();
    const tally: Tally = { requests: 0, fiveHundreds: [], violations: [], refusedLegit: [], aborted: 0, errors: [] };
    const until = Date.now() + SECONDS * 1000;

    function check(api: ApiName, operationId: string, status: number, body: string, legit: boolean, what: string) {
      tally.requests++;
      if (status >= 500) tally.fiveHundreds.push(`${what}: ${status} ${body.slice(0, 200)}`);
      if (legit && (status === 401 || status === 429)) tally.refusedLegit.push(`${what}: ${status}`);
      if (!body) return;
      const verdict = validators[api]?.validate(operationId, status, JSON.parse(body));
      if (!verdict?.valid) tally.violations.push(`${what} ${status}: ${verdict?.errors}`);
    }

    /** A legitimate client: reads its runs, pages its lists to the end, sometimes HEAD. */
    async function legitimate(api: ApiName, tenant: DemoTenant, address: string) {
      const headers = tenantHeaders(tenant);
      while (Date.now() < until) {
        const run = pick(tenant.runs);
        const method = Math.random() < 0.1 ? 'HEAD' : 'GET';
        const res = await rawRequest(server.url + run.path, { headers, localAddress: address, method });
        check(api, GET_OPERATION[api], res.status, method === 'HEAD' ? '' : res.body, true, `${api} ${run.path}`);
        let cursor: string | null = '';
        for (let page = 0; cursor !== null && page < 5; page++) {
          const path = `${listPath(api, tenant)}limit=2${cursor ? `&cursor=${cursor}` : ''}`;
          const list = await rawRequest(server.url + path, { headers, localAddress: address });
          check(api, LIST_OPERATION[api].operationId, list.status, list.body, true, `${api} ${path}`);
          if (list.status !== 200) break;
          const body = JSON.parse(list.body) as { next_cursor?: string | null; meta?: { next_cursor?: string | null } };
          cursor = body.next_cursor ?? body.meta?.next_cursor ?? null;
        }
      }
    }

    /** An abuser: guessed keys, forged cursors, odd ids, requests it aborts. */
    async function abuser(api: ApiName, tenant: DemoTenant, address: string) {
      const headers = tenantHeaders(tenant);
      while (Date.now() < until) {
        const roll = Math.random();
        if (roll < 0.4) {
          const res = await rawRequest(server.url + (tenant.runs[0]?.path ?? ''), {
            headers: { ...headers, authorization: `Bearer guess_${Math.random().toString(36).slice(2)}` },
            localAddress: address,
          });
          check(api, GET_OPERATION[api], res.status, res.body, false, `${api} guess`);
        } else if (roll < 0.7) {
          const cursor = pick([
            'WyIwMDAwLTAxLTAxVDAwOjAwOjAwLjAwMFoiLCI3ZTFlMDAwMC0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMTAwMDEiXQ',
            Buffer.from(JSON.stringify(['2026-01-01T00:00:00.000Z', '1'])).toString('base64url'),
            `x.${'A'.repeat(22)}`,
          ]);
          const res = await rawRequest(
            `${server.url}${listPath(api, tenant)}cursor=${cursor}&limit=${pick(['1e1', '2', '0x2'])}`,
            {
              headers,
              localAddress: address,
            },
          );
          check(api, LIST_OPERATION[api].operationId, res.status, res.body, false, `${api} forged`);
        } else {
          const controller = new AbortController();
          const pending = fetch(server.url + (tenant.runs[0]?.path ?? ''), { headers, signal: controller.signal });
          setTimeout(() => controller.abort(), Math.floor(Math.random() * 3));
          await pending.then((r) => r.arrayBuffer()).catch(() => {});
          tally.aborted++;
        }
      }
    }

    const clients: Promise<void>[] = [];
    for (const [i, api] of API_NAMES.entries()) {
      const tenant = server.demo[api]?.[0];
      if (!tenant) throw new Error(`no demo tenant for ${api}`);
      clients.push(legitimate(api, tenant, `127.0.1.${i + 1}`));
      clients.push(abuser(api, tenant, `127.0.2.${i + 1}`));
    }
    await Promise.all(clients.map((c) => c.catch((err: Error) => void tally.errors.push(err.message))));

    expect(tally.errors).toEqual([]);
    expect(tally.fiveHundreds).toEqual([]);
    expect(tally.violations).toEqual([]);
    expect(tally.refusedLegit).toEqual([]);
    expect(tally.requests).toBeGreaterThan(0);
    expect(await storeCounts()).toEqual(before);
    // What reads wrote: the bodies of terminal demo runs, nothing else (no run still open, no error).
    const terminal = new Set(
      Object.values(server.demo)
        .flat()
        .flatMap((t) => t.runs.filter((r) => TERMINAL_STATUSES.has(r.status)).map((r) => r.path)),
    );
    const stored = await server.store.db.query<{ key: string }>('SELECT key FROM final_bodies');
    expect(stored.length).toBeGreaterThan(0);
    for (const { key } of stored) expect(terminal.has(key.slice(key.lastIndexOf('\n') + 1)), key).toBe(true);
    // Back near where it started after a full collection: nothing per request is kept beyond the
    // bounded caches (a few terminal runs' bodies and principals here).
    const heapEnd = settledHeap();
    expect(heapEnd - heapStart).toBeLessThan(64 * 1024 * 1024);
  });
});
