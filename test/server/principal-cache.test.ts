import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { samplesApi } from '../../server/apis/samples/index.ts';
import { workflowsApi } from '../../server/apis/workflows/index.ts';
import { PRINCIPAL_TTL_MS } from '../../server/cache/principals.ts';
import { hashKey, insertKey } from '../../server/store/keys.ts';
import { bearer, startTestServer, type TestServer } from '../helpers/server.ts';

/** The principal cache's clock, moved by hand: no wall-clock waits (lru-cache reads a start of 0 as "no TTL"). */
const clock = { ms: 1_000_000, now: () => clock.ms };
let server: TestServer;
/** The same, with the terminal-run body cache on. */
let withBodies: TestServer;
let queries = 0;

beforeAll(async () => {
  server = await startTestServer({
    apis: [samplesApi, workflowsApi],
    principalCache: { perf: clock },
    finalBodyCacheBytes: 0,
  });
  withBodies = await server.sibling({ principalCache: { perf: clock } });
  server.store.db.onQuery = () => {
    queries += 1;
  };
});
afterAll(async () => {
  await withBodies.close();
  await server.close();
});

async function queriesOf(path: string, headers: Record<string, string>): Promise<{ status: number; queries: number }> {
  const before = queries;
  const res = await server.get(path, headers);
  await res.arrayBuffer();
  return { status: res.status, queries: queries - before };
}

describe('principal cache', () => {
  test('an accepted key is not looked up again within the TTL: one query fewer per request', async () => {
    const tenant = server.demo.samples?.[0];
    const path = '/api/v1/runs/101/summary';
    const first = await queriesOf(path, bearer(tenant?.apiKey ?? ''));
    const second = await queriesOf(path, bearer(tenant?.apiKey ?? ''));
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.queries).toBe(first.queries - 1);
  });

  test(`a revoked key keeps working at most ${PRINCIPAL_TTL_MS} ms, then is a 401`, async () => {
    const key = 'smp_test_revoked_principal_cache';
    await insertKey(server.store.db, { api: 'samples', tenantId: 'ccextractor', subject: 'to-revoke' }, key);
    expect((await server.get('/api/v1/runs/101/summary', bearer(key))).status).toBe(200);
    await server.store.db.query('UPDATE api_keys SET revoked_at = now() WHERE subject = $1', ['to-revoke']);
    clock.ms += PRINCIPAL_TTL_MS - 1;
    expect((await server.get('/api/v1/runs/101/summary', bearer(key))).status).toBe(200);
    clock.ms += 2;
    const refused = await server.get('/api/v1/runs/101/summary', bearer(key));
    expect(refused.status).toBe(401);
  });

  test('a revoked workflows live key is a 401 once the TTL has passed', async () => {
    const alice = server.demo.workflows?.[0];
    const run = alice?.runs.find((r) => r.status === 'completed');
    if (!alice || !run) throw new Error('no workflows demo run');
    const headers = { ...bearer(alice.apiKey), ...(alice.headers ?? {}) };
    expect((await server.get(run.path, headers)).status).toBe(200);
    await server.store.db.query('UPDATE api_keys SET revoked_at = now() WHERE key_hash = $1', [hashKey(alice.apiKey)]);
    clock.ms += PRINCIPAL_TTL_MS + 1;
    expect((await server.get(run.path, headers)).status).toBe(401);
  });

  test('with the body cache on, a revoked key stops getting cached terminal bodies once the TTL has passed', async () => {
    const key = 'smp_test_revoked_with_bodies';
    await insertKey(withBodies.store.db, { api: 'samples', tenantId: 'ccextractor', subject: 'cached' }, key);
    const get = () => withBodies.get('/api/v1/runs/101/summary', bearer(key));
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(200); // now answered from memory, before auth runs again
    await withBodies.store.db.query('UPDATE api_keys SET revoked_at = now() WHERE subject = $1', ['cached']);
    clock.ms += PRINCIPAL_TTL_MS - 1;
    expect((await get()).status).toBe(200);
    clock.ms += 2;
    expect((await get()).status).toBe(401);
  });

  test('a revoked key stops getting stored bodies of runs it never read once the TTL has passed', async () => {
    const tenant = withBodies.demo.samples?.[0];
    const final = (tenant?.runs ?? []).filter((r) => ['completed', 'canceled'].includes(r.status)).map((r) => r.path);
    if (!tenant || final.length < 3) throw new Error('samples: fewer than three terminal demo runs');
    // Stored by the tenant's own key: the revoked key never reads these runs before it is revoked.
    for (const path of final) await (await withBodies.get(path, bearer(tenant.apiKey))).arrayBuffer();
    await withBodies.settled();
    const [first, second, third] = final as [string, string, string];
    const key = 'smp_test_revoked_stored';
    await insertKey(withBodies.store.db, { api: 'samples', tenantId: tenant.tenant, subject: 'stored' }, key);
    expect((await withBodies.get(first, bearer(key))).status).toBe(200);
    await withBodies.store.db.query('UPDATE api_keys SET revoked_at = now() WHERE subject = $1', ['stored']);
    clock.ms += PRINCIPAL_TTL_MS - 1;
    // A known client within the TTL: another run's stored body, answered before auth runs again.
    expect((await withBodies.get(second, bearer(key))).status).toBe(200);
    clock.ms += 2;
    expect((await withBodies.get(third, bearer(key))).status).toBe(401);
  });

  test('an unknown key is never cached: the key created after a refusal works at once', async () => {
    const key = 'smp_test_created_after_refusal';
    expect((await server.get('/api/v1/runs/101/summary', bearer(key))).status).toBe(401);
    await insertKey(server.store.db, { api: 'samples', tenantId: 'ccextractor', subject: 'late' }, key);
    expect((await server.get('/api/v1/runs/101/summary', bearer(key))).status).toBe(200);
  });
});
