/**
 * Live mode (server/live/): a run of each API, polled through the real server after every tick,
 * goes from queued/pending to a terminal state; every body validates against the spec and keeps
 * the seed rules, every status change is one the API's lifecycle allows, counters never go down,
 * and runs that were already terminal are never touched. Ticks are called directly: no clock.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import type { DemoTenant } from '../../server/core/types.ts';
import { fateOf } from '../../server/live/fate.ts';
import { createLive, type Live } from '../../server/live/ticker.ts';
import type { ApiName } from '../../server/store/keys.ts';
import {
  createFinalBodyWriter,
  demoReads,
  type FinalBodyWriter,
  type StoreOutcome,
} from '../../server/store-final-bodies.ts';
import { GET_OPERATION } from '../helpers/apis.ts';
import { startTestServer, TEST_JWT_SECRET, type TestServer } from '../helpers/server.ts';
import { storedRows } from '../helpers/stored-bodies.ts';
import { headersOf, LIFECYCLE, observe } from './observe.ts';

// biome-ignore lint/suspicious/noExplicitAny: bodies are read field by field after the spec validator checked their shape
type Json = Record<string, any>;

let server: TestServer;
let live: Live;
let writer: FinalBodyWriter;
/** What the writer did with every tick's finished runs, as main.ts's live mode wires it. */
const outcomes: StoreOutcome[] = [];

beforeAll(async () => {
  // A budget no poll loop reaches: rate limiting is not what is under test.
  server = await startTestServer({ rateLimit: { limit: 100_000, windowMs: 60_000 } });
  const tenants = Object.fromEntries(Object.entries(server.demo).map(([api, ts]) => [api, ts.map((t) => t.tenant)]));
  writer = createFinalBodyWriter(server.store.db, { jwtSecret: TEST_JWT_SECRET });
  live = createLive(server.store.db, {
    tenants,
    onFinished: async (api, runs) => {
      const reads = runs.flatMap((run) => {
        const tenant = server.demo[api]?.find((t) => t.tenant === run.tenant);
        return tenant ? demoReads(api, tenant, [run.path]) : [];
      });
      expect(reads).toHaveLength(runs.length);
      outcomes.push(await writer.store(reads));
    },
  });
});
afterAll(async () => {
  await live?.stop();
  await writer?.close();
  await server?.close();
});

const tenantOf = (api: ApiName): DemoTenant => server.demo[api]?.[0] as DemoTenant;

describe('live mode', () => {
  test.each(Object.keys(LIFECYCLE) as ApiName[])(
    '%s: a new run goes from its first state to a terminal one, legally',
    async (api) => {
      const rules = LIFECYCLE[api];
      const run = await live.createRun(api);
      expect(run.status).toBe(rules.first);
      let seen = await observe(server.get, tenantOf(api), api, run);
      expect(seen.status).toBe(rules.first);
      const statuses = [seen.status];
      for (let ticks = 0; !rules.terminal.includes(seen.status); ticks++) {
        expect(ticks, `${api} still ${seen.status} after 30 ticks`).toBeLessThan(30);
        await live.tick();
        const now = await observe(server.get, tenantOf(api), api, run);
        if (now.status !== seen.status) {
          expect(rules.next[seen.status] ?? [], `${api} ${seen.status} -> ${now.status}`).toContain(now.status);
          statuses.push(now.status);
        }
        now.counters.forEach((c, i) => {
          expect(c, `${api} counter ${i}`).toBeGreaterThanOrEqual(seen.counters[i] ?? 0);
        });
        seen = now;
      }
      expect(statuses.length).toBeGreaterThan(2);
    },
  );

  test('runs already terminal are never modified', async () => {
    const before = await terminalBodies();
    expect(before.length).toBeGreaterThan(5);
    for (let i = 0; i < 8; i++) await live.tick();
    expect(await terminalBodies()).toEqual(before);
  });

  test('taxonomy: some runs end failed with an error_code, some canceled, through the trigger', async () => {
    const wanted = new Map<'fail' | 'cancel', { id: string | number; path: string }>();
    for (let i = 0; i < 60 && wanted.size < 2; i++) {
      const run = await live.createRun('taxonomy');
      const fate = fateOf(run.id);
      if (fate !== 'succeed' && !wanted.has(fate)) wanted.set(fate, run);
    }
    expect([...wanted.keys()].sort()).toEqual(['cancel', 'fail']);
    for (let i = 0; i < 12; i++) await live.tick();
    const failed = (await (
      await server.get(wanted.get('fail')?.path ?? '', headersOf(tenantOf('taxonomy')))
    ).json()) as Json;
    expect(failed).toMatchObject({ status: 'failed', error_code: expect.any(String), error: expect.any(String) });
    const canceled = (await (
      await server.get(wanted.get('cancel')?.path ?? '', headersOf(tenantOf('taxonomy')))
    ).json()) as Json;
    expect(canceled.status).toBe('canceled');
  });

  test.each(Object.keys(LIFECYCLE) as ApiName[])(
    '%s: the tick that finishes a run stores its body (onFinished), and a fresh process answers exactly those bytes',
    async (api) => {
      const run = await live.createRun(api);
      const tenant = tenantOf(api);
      for (let ticks = 0; ; ticks++) {
        expect(ticks, `${api} not finished after 30 ticks`).toBeLessThan(30);
        const finished = await live.tick();
        if (finished[api]?.some((r) => r.path === run.path && r.tenant === tenant.tenant)) break;
        // Still open: no body of it is kept.
        expect(await storedRows(server.store.db, run.path)).toEqual([]);
      }
      // onFinished has settled (the tick waited for it): the row is there, nobody having read the run.
      const [row, ...more] = await storedRows(server.store.db, run.path);
      expect(more).toEqual([]);
      expect(row?.key).toBe(`${GET_OPERATION[api]}\n${tenant.tenant}\n${run.path}`);
      const runPart = (text: string) => (api === 'workflows' ? JSON.stringify((JSON.parse(text) as Json).data) : text);
      // A client's read answers exactly those bytes: valid, terminal, and the seed's rules kept.
      expect(runPart(await (await server.get(run.path, headersOf(tenant))).text())).toBe(row?.body);
      expect(LIFECYCLE[api].terminal).toContain((await observe(server.get, tenant, api, run)).status);
      const stored = JSON.parse(row?.body ?? 'null') as Json;
      // Marked, the row is the only thing that can answer the mark: a fresh app's first read is the stored path.
      const marked = JSON.stringify({ ...stored, stored_marker: true });
      await server.store.db.query('UPDATE final_bodies SET body = $1 WHERE key = $2', [marked, row?.key ?? '']);
      const fresh = await server.sibling();
      try {
        const res = await fresh.get(run.path, headersOf(tenant));
        expect(res.status).toBe(200);
        expect(res.headers.get('etag')).toBe(row?.etag);
        expect(runPart(await res.text())).toBe(marked);
      } finally {
        await fresh.close();
        await server.store.db.query('UPDATE final_bodies SET body = $1 WHERE key = $2', [
          row?.body ?? '',
          row?.key ?? '',
        ]);
      }
      expect(outcomes.flatMap((o) => [...o.refused, ...o.failed])).toEqual([]);
    },
  );

  test('the fate of a run is spread over success, failure and cancellation', () => {
    const fates = new Set(Array.from({ length: 100 }, (_, i) => fateOf(i)));
    expect([...fates].sort()).toEqual(['cancel', 'fail', 'succeed']);
  });
});

/** Every demo run that started terminal, as the API answers it (workflows: without meta). */
async function terminalBodies(): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const api of Object.keys(LIFECYCLE) as ApiName[]) {
    for (const tenant of server.demo[api] ?? []) {
      for (const run of tenant.runs.filter((r) => LIFECYCLE[api].terminal.includes(r.status))) {
        const body = (await (await server.get(run.path, headersOf(tenant))).json()) as Json;
        out.push(api === 'workflows' ? body.data : body);
      }
    }
  }
  return out;
}

describe('live mode configuration', () => {
  test('LIVE=1 or --live turns it on; LIVE_TICK_MS sets the clock (default 1 s)', () => {
    expect(loadConfig({}, [])).toMatchObject({ live: false, liveTickMs: 1000 });
    expect(loadConfig({ LIVE: '1', LIVE_TICK_MS: '250' }, [])).toMatchObject({ live: true, liveTickMs: 250 });
    expect(loadConfig({}, ['node', 'server/main.ts', '--live'])).toMatchObject({ live: true });
    expect(() => loadConfig({ LIVE_TICK_MS: '0' }, [])).toThrow(/LIVE_TICK_MS/);
    expect(() => loadConfig({ LIVE_TICK_MS: 'soon' }, [])).toThrow(/LIVE_TICK_MS/);
  });
});
