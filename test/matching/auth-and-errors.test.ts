import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { matchingApi } from '../../server/apis/matching/index.ts';
import { samplesApi } from '../../server/apis/samples/index.ts';
import { PRINCIPAL_TTL_MS } from '../../server/cache/principals.ts';
import { insertKey } from '../../server/store/keys.ts';
import { bearer, startTestServer, type TestServer } from '../helpers/server.ts';
import { specValidator } from '../helpers/spec.ts';

const spec = specValidator('matching');
let server: TestServer;
const clock = { ms: 1_000_000, now: () => clock.ms };
let keyA: string;
let runA: string;

beforeAll(async () => {
  // The principal cache's clock is moved by hand (a revoked key works until its TTL has passed).
  server = await startTestServer({ apis: [matchingApi, samplesApi], principalCache: { perf: clock } });
  const [a] = server.demo.matching ?? [];
  keyA = a?.apiKey ?? '';
  runA = String(a?.runs[0]?.id);
});
afterAll(() => server.close());

const UNAUTHORIZED = { error: { code: 'unauthorized', message: 'Missing or invalid API key.' } };

async function expectUnauthorized(res: Response) {
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
  const body = await res.json();
  expect(spec.validate('matchingGetRun', 401, body)).toMatchObject({ valid: true });
  expect(body).toEqual(UNAUTHORIZED);
}

describe('matching auth', () => {
  test('no Authorization header is a 401', async () => {
    await expectUnauthorized(await server.get(`/v1/matching/runs/${runA}`));
  });

  test.each([
    ['a Basic credential', 'Basic bXRjOnNlY3JldA=='],
    ['Bearer without a token', 'Bearer'],
    ['a bare key without the Bearer scheme', 'mtc_demo_acme_4c7e19b2d0'],
    ['a token with a space in it', 'Bearer mtc demo'],
  ])('a malformed Authorization header (%s) is a 401', async (_name, authorization) => {
    await expectUnauthorized(await server.get(`/v1/matching/runs/${runA}`, { authorization }));
  });

  test('an unknown key is a 401', async () => {
    await expectUnauthorized(await server.get(`/v1/matching/runs/${runA}`, bearer('mtc_live_not_a_real_key')));
  });

  test("another API's key (the samples demo key) is a 401", async () => {
    const samplesKey = server.demo.samples?.[0]?.apiKey ?? '';
    expect((await server.get('/api/v1/runs/101/summary', bearer(samplesKey))).status).toBe(200);
    await expectUnauthorized(await server.get(`/v1/matching/runs/${runA}`, bearer(samplesKey)));
  });

  test('a revoked matching key is a 401 once the principal cache TTL has passed', async () => {
    const key = 'mtc_test_revoked_0001';
    await insertKey(server.store.db, { api: 'matching', tenantId: 'ws_acme_finance', subject: 'revoked' }, key);
    expect((await server.get(`/v1/matching/runs/${runA}`, bearer(key))).status).toBe(200);
    await server.store.db.query('UPDATE api_keys SET revoked_at = now() WHERE subject = $1', ['revoked']);
    clock.ms += PRINCIPAL_TTL_MS + 1;
    await expectUnauthorized(await server.get(`/v1/matching/runs/${runA}`, bearer(key)));
  });

  test('a key sees its own workspace only: a second key of a workspace lists the same runs', async () => {
    const key = 'mtc_test_second_globex_0002';
    await insertKey(server.store.db, { api: 'matching', tenantId: 'ws_globex_ap', subject: 'second' }, key);
    const ids = async (k: string) =>
      ((await (await server.get('/v1/matching/runs', bearer(k))).json()) as { data: Array<{ id: string }> }).data.map(
        (r) => r.id,
      );
    const expected = (server.demo.matching?.[1]?.runs ?? []).map((r) => String(r.id)).reverse();
    expect(await ids(key)).toEqual(expected);
    expect(await ids(keyA)).not.toContain(expected[0]);
  });

  test('credentials are checked before input: a bad key with a malformed id is a 401, not a 400', async () => {
    await expectUnauthorized(await server.get('/v1/matching/runs/not-a-uuid', bearer('nope')));
    await expectUnauthorized(await server.get('/v1/matching/runs?limit=0'));
  });
});

describe('matching malformed input', () => {
  test.each([
    ['/v1/matching/runs/not-a-uuid', 'matchingGetRun'],
    ['/v1/matching/runs/urn:uuid:c3d4e5f6-a7b8-9012-cdef-123456789012', 'matchingGetRun'],
    ['/v1/matching/runs?limit=0', 'matchingListRuns'],
    ['/v1/matching/runs?limit=101', 'matchingListRuns'],
    ['/v1/matching/runs?limit=ten', 'matchingListRuns'],
    ['/v1/matching/runs?status=done', 'matchingListRuns'],
    ['/v1/matching/runs?matching_config_id=not-a-uuid', 'matchingListRuns'],
    ['/v1/matching/runs?cursor=bm90LWEtY3Vyc29y', 'matchingListRuns'],
    // a well-formed cursor whose position this API never issued: ["2024", "abc"]
    ['/v1/matching/runs?cursor=WyIyMDI0IiwiYWJjIl0', 'matchingListRuns'],
    ['/v1/matching/runs?page=2', 'matchingListRuns'],
  ])('%s is a 400 in the matching error shape', async (path, operationId) => {
    const res = await server.get(path, bearer(keyA));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(spec.validate(operationId, 400, body)).toMatchObject({ valid: true });
    expect(body.error.code).toBe('bad_request');
  });

  test('an unknown path under /v1/matching is a 404 in the matching error shape', async () => {
    const res = await server.get('/v1/matching/configs', bearer(keyA));
    expect(res.status).toBe(404);
    const body = await res.json();
    expect(spec.validate('matchingGetRun', 404, body)).toMatchObject({ valid: true });
  });

  test('a method the spec does not declare is a 405 with Allow, in the matching error shape', async () => {
    const res = await fetch(`${server.url}/v1/matching/runs/${runA}`, { method: 'DELETE', headers: bearer(keyA) });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
    expect(spec.validate('matchingGetRun', 400, await res.json())).toMatchObject({ valid: true });
  });

  test('every response, error or not, carries X-Request-Id', async () => {
    for (const res of [
      await server.get(`/v1/matching/runs/${runA}`, bearer(keyA)),
      await server.get(`/v1/matching/runs/${runA}`),
      await server.get('/v1/matching/runs?limit=0', bearer(keyA)),
    ]) {
      expect(res.headers.get('x-request-id')).toBeTruthy();
    }
  });
});

describe('matching limits and failures', () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await server.sibling({
      apis: [matchingApi],
      rateLimit: { limit: 2, windowMs: 60_000 },
      handlerOverrides: {
        // a handler that breaks the contract: response validation must catch it
        matchingGetRun: ({ res }) => {
          res.json({ id: 'not-a-run' });
        },
      },
    });
  });
  afterAll(() => limited.close());

  test('past the limit a key gets a 429 with Retry-After in the matching error shape', async () => {
    const key = limited.demo.matching?.[1]?.apiKey ?? '';
    expect((await limited.get('/v1/matching/runs', bearer(key))).status).toBe(200);
    expect((await limited.get('/v1/matching/runs', bearer(key))).status).toBe(200);
    const res = await limited.get('/v1/matching/runs', bearer(key));
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = (await res.json()) as { error: { code: string } };
    expect(spec.validate('matchingListRuns', 429, body)).toMatchObject({ valid: true });
    // the seed's 429 text, word for word: the wait is in Retry-After
    expect(body).toEqual({
      error: {
        code: 'rate_limited',
        message: 'Too many requests. Retry after the period indicated in the Retry-After header.',
      },
    });
  });

  test('a body that breaks the contract is caught and answered as the spec 500, without a stack', async () => {
    const key = limited.demo.matching?.[0]?.apiKey ?? '';
    const res = await limited.get(`/v1/matching/runs/${limited.demo.matching?.[0]?.runs[0]?.id}`, bearer(key));
    expect(res.status).toBe(500);
    const body = await res.json();
    expect(spec.validate('matchingGetRun', 500, body)).toMatchObject({ valid: true });
    expect(body).toEqual({ error: { code: 'internal_error', message: expect.any(String) } });
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts/);
  });
});
