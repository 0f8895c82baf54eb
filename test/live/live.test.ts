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
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { headersOf, LIFECYCLE, observe } from './observe.ts';

// biome-ignore lint/suspicious/noExplicitAny: bodies are read field by field after the spec validator checked their shape
type Json = Record<string, any>;

let server: TestServer;
let live: Live;

beforeAll(async () => {
  // A budget no poll loop reaches: rate limiting is not what is under test.
  server = await startTestServer({ rateLimit: { limit: 100_000, windowMs: 60_000 } });
  const tenants = Object.fromEntries(Object.entries(server.demo).map(([api, ts]) => [api, ts.map((t) => t.tenant)]));
  live = createLive(server.store.db, { tenants });
});
afterAll(async () => {
  await live?.stop();
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
