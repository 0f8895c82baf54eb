import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ApiName, DemoTenant } from '../../server/core/types.ts';
import { GET_OPERATION, LIST_OPERATION, listPath, TERMINAL_STATUSES } from '../helpers/apis.ts';
import { rawRequest } from '../helpers/http.ts';
import { bearer, startTestServer, type TestServer } from '../helpers/server.ts';
import { API_NAMES, specValidator } from '../helpers/spec.ts';

let cached: TestServer;
let uncached: TestServer;
let queries = 0;

beforeAll(async () => {
  cached = await startTestServer();
  uncached = await cached.sibling({ finalBodyCacheBytes: 0 });
  cached.store.db.onQuery = () => {
    queries += 1;
  };
});
afterAll(async () => {
  await uncached.close();
  await cached.close();
});

const tenantOf = (server: TestServer, api: ApiName): DemoTenant => {
  const tenant = server.demo[api]?.[0];
  if (!tenant) throw new Error(`no demo tenant for ${api}`);
  return tenant;
};
const headersOf = (tenant: DemoTenant, extra: Record<string, string> = {}) => ({
  ...bearer(tenant.apiKey),
  ...(tenant.headers ?? {}),
  ...extra,
});
/** Workflows wraps the run in a per-request meta (request id, time): only `data` is the run's. */
const runPart = (api: ApiName, bytes: string): string =>
  api === 'workflows' ? JSON.stringify((JSON.parse(bytes) as { data: unknown }).data) : bytes;

/**
 * A plain GET: fetch turns any If-None-Match into a no-cache request (Fetch standard), and a
 * no-cache request is always answered in full, as a browser's own revalidation is not.
 */
const rawGet = (url: string, headers: Record<string, string>) => rawRequest(url, { headers });

async function counted(fn: () => Promise<Response>): Promise<{ res: Response; body: string; queries: number }> {
  const before = queries;
  const res = await fn();
  const body = await res.text();
  return { res, body, queries: queries - before };
}

describe.each(API_NAMES)('%s seed operation: terminal-run body cache', (api) => {
  const spec = specValidator(api);

  test('a terminal run answers byte-identical bodies from the store and from the cache, the second without a query', async () => {
    const tenant = tenantOf(cached, api);
    const run = tenant.runs.find((r) => TERMINAL_STATUSES.has(r.status));
    if (!run) throw new Error(`no terminal demo run for ${api}`);
    const first = await counted(() => cached.get(run.path, headersOf(tenant)));
    // The first answer is also stored (stored-final-bodies.test.ts), after it left: not the second's query.
    await cached.settled();
    const second = await counted(() => cached.get(run.path, headersOf(tenant)));
    const fresh = await counted(() => uncached.get(run.path, headersOf(tenantOf(uncached, api))));
    for (const r of [first, second, fresh]) {
      expect(r.res.status).toBe(200);
      expect(r.res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(spec.validate(GET_OPERATION[api], 200, JSON.parse(r.body))).toMatchObject({ valid: true });
    }
    expect(first.queries).toBeGreaterThan(0);
    expect(second.queries).toBe(0);
    expect(runPart(api, second.body)).toBe(runPart(api, first.body));
    expect(runPart(api, second.body)).toBe(runPart(api, fresh.body));
    if (api !== 'workflows')
      expect(second.res.headers.get('content-length')).toBe(String(Buffer.byteLength(first.body)));
    // A strong validator where the bytes are the whole body; workflows' meta makes it weak.
    const etag = first.res.headers.get('etag') ?? '';
    expect(etag).toMatch(api === 'workflows' ? /^W\/"[\w-]{43}"$/ : /^"[\w-]{43}"$/);
    expect(second.res.headers.get('etag')).toBe(etag);
    expect(fresh.res.headers.get('etag')).toBe(etag);
  });

  test('answered again from memory (the front door), it carries every header of the answer Express gave', async () => {
    const tenant = tenantOf(cached, api);
    const run = tenant.runs.find((r) => TERMINAL_STATUSES.has(r.status));
    if (!run) throw new Error(`no terminal demo run for ${api}`);
    // A header of its own makes this a request not seen before: the first goes through Express.
    const headers = headersOf(tenant, { 'x-front-door-test': api });
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await counted(() => cached.get(run.path, headers)));
    const perRequest = new Set(['date', 'x-request-id', 'x-ratelimit-remaining', 'x-ratelimit-reset']);
    const lasting = (res: Response) => [...res.headers].filter(([name]) => !perRequest.has(name));
    const [first, ...again] = answers;
    for (const answer of again) {
      expect(answer.res.status).toBe(200);
      expect(answer.queries).toBe(0);
      expect(lasting(answer.res)).toEqual(lasting(first?.res as Response));
      expect(runPart(api, answer.body)).toBe(runPart(api, first?.body ?? ''));
    }
    const ids = answers.map((a) => a.res.headers.get('x-request-id'));
    expect(new Set(ids).size).toBe(3);
  });

  test('If-None-Match with the ETag is a 304 with no body, cached or not', async () => {
    const tenant = tenantOf(cached, api);
    const run = tenant.runs.find((r) => TERMINAL_STATUSES.has(r.status));
    if (!run) throw new Error(`no terminal demo run for ${api}`);
    const etag = (await cached.get(run.path, headersOf(tenant))).headers.get('etag') ?? '';
    for (const server of [cached, uncached]) {
      const t = tenantOf(server, api);
      const res = await rawGet(server.url + run.path, headersOf(t, { 'if-none-match': `"other", ${etag}` }));
      expect(res.status).toBe(304);
      expect(res.headers.etag).toBe(etag);
      expect(res.headers['content-type']).toBeUndefined();
      expect(res.body).toBe('');
    }
    const stale = await rawGet(cached.url + run.path, headersOf(tenant, { 'if-none-match': '"not-the-current-one"' }));
    expect(stale.status).toBe(200);
    expect(stale.body.length).toBeGreaterThan(0);
  });

  test('a run that is not terminal is never cached: every read asks the store', async () => {
    const tenant = tenantOf(cached, api);
    const candidates = tenant.runs.filter((r) => !TERMINAL_STATUSES.has(r.status));
    expect(candidates.length).toBeGreaterThan(0);
    let answered = 0;
    for (const run of candidates) {
      const first = await counted(() => cached.get(run.path, headersOf(tenant)));
      const second = await counted(() => cached.get(run.path, headersOf(tenant)));
      // Telemetry answers unfinished runs with a 404: never cached either.
      expect([200, 404]).toContain(second.res.status);
      if (second.res.status === 200) answered += 1;
      expect(first.queries).toBeGreaterThan(0);
      expect(second.queries).toBe(first.queries);
    }
    if (api !== 'telemetry') expect(answered).toBeGreaterThan(0);
  });

  test('a run that can still change gets a weak ETag, and its 304 while the answer is the same', async () => {
    const tenant = tenantOf(cached, api);
    let answered = 0;
    for (const run of tenant.runs.filter((r) => !TERMINAL_STATUSES.has(r.status))) {
      const first = await rawGet(cached.url + run.path, headersOf(tenant));
      if (first.status !== 200) continue;
      answered += 1;
      const etag = String(first.headers.etag);
      expect(etag).toMatch(/^W\/"[\w-]{43}"$/);
      const again = await rawGet(cached.url + run.path, headersOf(tenant, { 'if-none-match': etag }));
      expect(again.status).toBe(304);
      expect(again.body).toBe('');
    }
    if (api !== 'telemetry') expect(answered).toBeGreaterThan(0);
  });

  test('the list declares no 304: no ETag, and If-None-Match (even *) is ignored', async () => {
    const tenant = tenantOf(cached, api);
    const url = cached.url + listPath(api, tenant).replace(/[?&]$/, '');
    for (const condition of ['*', '"anything"', 'W/"anything"']) {
      const res = await rawGet(url, headersOf(tenant, { 'if-none-match': condition }));
      expect(res.status, condition).toBe(200);
      expect(res.headers.etag).toBeUndefined();
      expect(spec.validate(LIST_OPERATION[api].operationId, 200, JSON.parse(res.body)).errors).toBe('No errors');
    }
  });

  test("another tenant never gets a cached body: the same URL with the other tenant's key is its 404", async () => {
    const [owner, other] = cached.demo[api] ?? [];
    const run = owner?.runs.find((r) => TERMINAL_STATUSES.has(r.status));
    if (!owner || !other || !run) throw new Error(`no two demo tenants for ${api}`);
    expect((await cached.get(run.path, headersOf(owner))).status).toBe(200);
    const res = await cached.get(run.path, headersOf(other));
    expect(res.status).toBe(404);
  });
});

describe('a cached body answers only the same request again', () => {
  test('the same URL with a header the contract refuses is still refused (400), not answered from memory', async () => {
    const tenant = tenantOf(cached, 'samples');
    const run = tenant.runs.find((r) => TERMINAL_STATUSES.has(r.status));
    if (!run) throw new Error('no terminal samples run');
    expect((await cached.get(run.path, headersOf(tenant))).status).toBe(200);
    expect((await cached.get(run.path, headersOf(tenant))).status).toBe(200);
    const res = await rawGet(cached.url + run.path, headersOf(tenant, { 'if-none-match': `"${'x'.repeat(2100)}"` }));
    expect(res.status).toBe(400);
    expect(specValidator('samples').validate('samplesGetRunSummary', 400, JSON.parse(res.body))).toMatchObject({
      valid: true,
    });
  });

  test('workflows: the cached overview is not served for a workspace the key is not bound to', async () => {
    const alice = tenantOf(cached, 'workflows');
    const run = alice.runs.find((r) => TERMINAL_STATUSES.has(r.status));
    if (!run) throw new Error('no terminal workflows run');
    expect((await cached.get(run.path, headersOf(alice))).status).toBe(200);
    expect((await cached.get(run.path, headersOf(alice))).status).toBe(200);
    const res = await cached.get(run.path, headersOf(alice, { 'x-workspace-id': 'ws_globex_media' }));
    expect(res.status).toBe(404);
  });
});

describe('a cached answer still spends the caller’s budget', () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await cached.sibling({ rateLimit: { limit: 3, windowMs: 60_000 } });
  });
  afterAll(() => limited.close());

  test.each(API_NAMES)('%s: the same terminal run read past the limit is the API’s 429, cache or not', async (api) => {
    const tenant = tenantOf(limited, api);
    const run = tenant.runs.find((r) => TERMINAL_STATUSES.has(r.status));
    if (!run) throw new Error(`no terminal demo run for ${api}`);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await limited.get(run.path, headersOf(tenant))).status);
    // Reads 2 and 3 come from memory (the first one filled it); 4 and 5 are over the budget of 3.
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const refused = await limited.get(run.path, headersOf(tenant));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(specValidator(api).validate(GET_OPERATION[api], 429, await refused.json())).toMatchObject({ valid: true });
  });
});
