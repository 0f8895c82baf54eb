import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { samplesApi } from '../../server/apis/samples/index.ts';
import { bearer, startTestServer, type TestServer, testRedis } from '../helpers/server.ts';
import { specValidator } from '../helpers/spec.ts';

const samples = specValidator('samples');
const open: TestServer[] = [];
/** The file's one store and demo data; each test's settings get a sibling app on it. */
let base: TestServer;
beforeAll(async () => {
  base = await startTestServer({ apis: [samplesApi] });
});
afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
  await base.close();
});

async function server(options: Parameters<typeof startTestServer>[0]) {
  const s = await base.sibling(options);
  open.push(s);
  return s;
}

describe('rate limiting per API key', () => {
  test('the request over the budget is a 429 with Retry-After and the budget headers, in the samples shape', async () => {
    const s = await server({ rateLimit: { limit: 3, windowMs: 60_000 } });
    const key = s.demo.samples?.[0]?.apiKey ?? '';
    const remaining: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await s.get('/api/v1/runs/101/summary', bearer(key));
      expect(res.status).toBe(200);
      remaining.push(Number(res.headers.get('x-ratelimit-remaining')));
    }
    expect(remaining).toEqual([2, 1, 0]);
    const limited = await s.get('/api/v1/runs/101/summary', bearer(key));
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers.get('x-ratelimit-limit')).toBe('3');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(limited.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    const body = await limited.json();
    expect(samples.validate('samplesGetRunSummary', 429, body).valid).toBe(true);
    expect(body).toMatchObject({ code: 'rate_limited', details: { retry_after: retryAfter, limit: 3, window: '60s' } });
  });

  test('each key has its own budget', async () => {
    const s = await server({ rateLimit: { limit: 1, windowMs: 60_000 } });
    const [a, b] = s.demo.samples ?? [];
    expect((await s.get('/api/v1/runs/101/summary', bearer(a?.apiKey ?? ''))).status).toBe(200);
    expect((await s.get('/api/v1/runs/101/summary', bearer(a?.apiKey ?? ''))).status).toBe(429);
    expect((await s.get('/api/v1/runs/201/summary', bearer(b?.apiKey ?? ''))).status).toBe(200);
  });
});

const redisEnv = testRedis();
describe.skipIf(!redisEnv)('rate limiting on Redis (needs REDIS_URL; .ci/run sets it)', () => {
  test('two app instances on one Redis share one budget', async () => {
    if (!redisEnv) return;
    const { redis, prefix } = redisEnv;
    const options = { rateLimit: { limit: 4, windowMs: 60_000 }, redis, redisPrefix: prefix };
    const [one, two] = [await server(options), await server(options)];
    const key = one.demo.samples?.[0]?.apiKey ?? '';
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      statuses.push((await one.get('/api/v1/runs/101/summary', bearer(key))).status);
      statuses.push((await two.get('/api/v1/runs/101/summary', bearer(key))).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    const keys = await redis.keys(`${prefix}*`);
    expect(keys.length).toBeGreaterThan(0);
    await redis.del(...keys);
    redis.disconnect();
  });
});

describe('refused credentials per client address', () => {
  test('after the allowed number of 401s the address gets 429s; accepted requests never count', async () => {
    const s = await server({ failedAuthLimit: { limit: 3, windowMs: 60_000 } });
    const key = s.demo.samples?.[0]?.apiKey ?? '';
    for (let i = 0; i < 5; i++) expect((await s.get('/api/v1/runs/101/summary', bearer(key))).status).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await s.get('/api/v1/runs/101/summary', bearer(`guess-${i}`))).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const limited = await s.get('/api/v1/runs/101/summary', bearer('guess-again'));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(samples.validate('samplesGetRunSummary', 429, await limited.json()).valid).toBe(true);
  });
});
