import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { samplesApi } from '../../server/apis/samples/index.ts';
import { telemetryApi } from '../../server/apis/telemetry/index.ts';
import { bearer, startTestServer, type TestServer } from '../helpers/server.ts';
import { specValidator } from '../helpers/spec.ts';
import { acme } from './demo-run-ids.ts';

const spec = specValidator('telemetry');
let server: TestServer;
let keyA: string;
let samplesKey: string;

const RUN = `/v1/telemetry/runs/${acme(1)}/summary`;
const UNAUTHORIZED = { error: { code: 'unauthorized', message: 'Missing or invalid API key.' } };

beforeAll(async () => {
  server = await startTestServer({ apis: [telemetryApi, samplesApi] });
  keyA = server.demo.telemetry?.[0]?.apiKey ?? '';
  samplesKey = server.demo.samples?.[0]?.apiKey ?? '';
});
afterAll(() => server.close());

async function expect401(path: string, headers: Record<string, string>, operationId = 'telemetryGetRunSummary') {
  const res = await server.get(path, headers);
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
  expect(res.headers.get('x-request-id')).toBeTruthy();
  const body = await res.json();
  expect(spec.validate(operationId, 401, body)).toMatchObject({ valid: true });
  expect(body).toEqual(UNAUTHORIZED);
}

describe('telemetry auth', () => {
  test('no Authorization header is a 401', async () => {
    await expect401(RUN, {});
  });

  test.each([
    ['a Basic credential', `Basic ${Buffer.from('a:b').toString('base64')}`],
    ['Bearer without a token', 'Bearer '],
    ['a token without the Bearer scheme', keyA],
    ['a token with a space in it', `Bearer ${keyA} extra`],
  ])('a malformed header (%s) is a 401', async (_why, authorization) => {
    await expect401(RUN, { authorization });
  });

  test('an unknown key is a 401', async () => {
    await expect401(RUN, bearer('tlm_live_0000000000000000'));
  });

  test("another API's key (the samples demo key) is a 401", async () => {
    await expect401(RUN, bearer(samplesKey));
  });

  test('every operation asks for the key, the list and the schema summary included', async () => {
    await expect401('/v1/telemetry/runs', {}, 'telemetryListRuns');
    await expect401('/v1/telemetry/schemas/sch-uuid-1/summary', {}, 'telemetryGetSchemaSummary');
  });

  test('credentials are checked before input: a bad key with a bad run id is a 401, not a 400', async () => {
    await expect401('/v1/telemetry/runs/not-a-uuid/summary', bearer('nope'));
    await expect401('/v1/telemetry/runs?limit=0', {}, 'telemetryListRuns');
  });

  test('the demo key is accepted on its own run', async () => {
    const res = await server.get(RUN, bearer(keyA));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });
});

describe('telemetry errors outside the operations', () => {
  test('an unknown path under /v1/telemetry is a 404 in the telemetry shape', async () => {
    const res = await server.get('/v1/telemetry/fields', bearer(keyA));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
  });

  test('a method the spec does not declare is a 405 with Allow, in the telemetry shape', async () => {
    const res = await fetch(`${server.url}/v1/telemetry/runs`, { method: 'DELETE', headers: bearer(keyA) });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
    const body = await res.json();
    expect(spec.validate('telemetryListRuns', 400, body)).toMatchObject({ valid: true });
    expect(body).toMatchObject({ error: { code: 'method_not_allowed' } });
  });
});

describe('telemetry responses are checked against the telemetry document', () => {
  test('a handler body that breaks the spec is caught and answered in the 500 shape', async () => {
    const faulty = await server.sibling({
      handlerOverrides: {
        telemetryGetRunSummary: ({ res }) => {
          res.json({ run_id: acme(1), schema_id: 'sch-uuid-1', capture_hit_rate: 72 });
        },
      },
    });
    try {
      const res = await faulty.get(RUN, bearer(faulty.demo.telemetry?.[0]?.apiKey ?? ''));
      expect(res.status).toBe(500);
      const body = await res.json();
      expect(spec.validate('telemetryGetRunSummary', 500, body)).toMatchObject({ valid: true });
      expect(body).toEqual({
        error: { code: 'internal_error', message: 'An unexpected error occurred. Please try again later.' },
      });
    } finally {
      await faulty.close();
    }
  });
});

describe('telemetry rate limit', () => {
  test('past the limit a key gets a 429 with Retry-After in the telemetry shape', async () => {
    const limited = await server.sibling({ rateLimit: { limit: 2, windowMs: 60_000 } });
    try {
      const key = limited.demo.telemetry?.[0]?.apiKey ?? '';
      expect((await limited.get(RUN, bearer(key))).status).toBe(200);
      expect((await limited.get(RUN, bearer(key))).status).toBe(200);
      const res = await limited.get(RUN, bearer(key));
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      const body = await res.json();
      expect(spec.validate('telemetryGetRunSummary', 429, body)).toMatchObject({ valid: true });
      // the seed's 429 text, word for word: the wait is in Retry-After
      expect(body).toEqual({
        error: {
          code: 'rate_limited',
          message: 'Too many requests. Retry after the period indicated in the Retry-After header.',
        },
      });
      // budget is per key: another organization is not affected
      const other = limited.demo.telemetry?.[1]?.apiKey ?? '';
      expect((await limited.get('/v1/telemetry/runs', bearer(other))).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
