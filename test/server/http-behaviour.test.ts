import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { samplesApi } from '../../server/apis/samples/index.ts';
import { bearer, startTestServer, type TestServer } from '../helpers/server.ts';
import { specValidator } from '../helpers/spec.ts';

const samples = specValidator('samples');
let server: TestServer;
let key: string;

beforeAll(async () => {
  server = await startTestServer({ apis: [samplesApi] });
  key = server.demo.samples?.[0]?.apiKey ?? '';
});
afterAll(() => server.close());

describe('HTTP behaviour every API shares', () => {
  test('credentials are checked before input: a bad token with a bad parameter is a 401', async () => {
    const res = await server.get('/api/v1/runs/not-a-number/summary', bearer('wrong'));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(samples.validate('samplesGetRunSummary', 401, await res.json()).valid).toBe(true);
  });

  test.each([
    ['no header', {}],
    ['a malformed header', { authorization: 'Basic abc' }],
    ['an unknown key', bearer('smp_unknown_key')],
  ])('%s is refused with 401 and WWW-Authenticate: Bearer', async (_label, headers) => {
    const res = await server.get('/api/v1/runs/101/summary', headers as Record<string, string>);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="samples"');
    expect(await res.json()).toEqual({
      code: 'unauthorized',
      message: 'Bearer token is missing, expired, or invalid.',
      details: {},
    });
  });

  test("another API's demo key opens nothing here", async () => {
    const otherKeys = Object.entries(server.demo)
      .filter(([api]) => api !== 'samples')
      .flatMap(([, tenants]) => tenants.map((t) => t.apiKey));
    for (const other of otherKeys) {
      expect((await server.get('/api/v1/runs/101/summary', bearer(other))).status).toBe(401);
    }
  });

  test('a method the spec does not declare is a 405 with Allow', async () => {
    const res = await fetch(`${server.url}/api/v1/runs/101/summary`, { method: 'DELETE', headers: bearer(key) });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
    expect(await res.json()).toMatchObject({ code: 'method_not_allowed', details: {} });
  });

  test("an unknown path under an API's base path is a 404 in that API's shape", async () => {
    const res = await server.get('/api/v1/runs/101/nothing-here', bearer(key));
    expect(res.status).toBe(404);
    expect(samples.validate('samplesGetRunSummary', 404, await res.json()).valid).toBe(true);
  });

  test("a body over the size limit is a 413 in the API's shape", async () => {
    // fetch will not send a body with GET; node:http will, framed by an explicit Content-Length
    const { request } = await import('node:http');
    const payload = JSON.stringify({ blob: 'x'.repeat(100_000) });
    const status = await new Promise<{ code: number; body: string }>((resolve) => {
      const req = request(`${server.url}/api/v1/runs/101/summary`, {
        method: 'GET',
        headers: { ...bearer(key), 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      });
      req.on('response', (r) => {
        let body = '';
        r.on('data', (c) => {
          body += c;
        });
        r.on('end', () => resolve({ code: r.statusCode ?? 0, body }));
      });
      req.end(payload);
    });
    expect(status.code, status.body).toBe(413);
    expect(JSON.parse(status.body)).toMatchObject({ code: 'payload_too_large', details: {} });
  });

  test('the request id is echoed, and a safe one from the caller is kept', async () => {
    const res = await server.get('/api/v1/runs/101/summary', { ...bearer(key), 'x-request-id': 'trace-abc-123' });
    expect(res.headers.get('x-request-id')).toBe('trace-abc-123');
    const generated = await server.get('/api/v1/runs/101/summary', bearer(key));
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('health and readiness answer outside the APIs', async () => {
    expect(await (await server.get('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await server.get('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  test('the bundled documents are served at /openapi/<api>.json', async () => {
    const res = await server.get('/openapi/samples.json');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { openapi: string }).openapi).toBe('3.1.0');
  });
});

describe('when the store goes away', () => {
  test('an API answers 503 with Retry-After in its own shape, and /readyz says unavailable', async () => {
    const s = await startTestServer({ apis: [samplesApi] });
    const k = s.demo.samples?.[0]?.apiKey ?? '';
    await s.store.db.close();
    const res = await s.get('/api/v1/runs/101/summary', bearer(k));
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(samples.validate('samplesGetRunSummary', 503, await res.json()).valid).toBe(true);
    expect((await s.get('/readyz')).status).toBe(503);
    await s.close().catch(() => {});
  });
});

describe('CORS for a frontend calling the server from its dev server', () => {
  test('a configured origin gets its preflight answered and the rate-limit headers exposed', async () => {
    const s = await server.sibling({ corsOrigins: ['http://localhost:5173'] });
    try {
      const preflight = await fetch(`${s.url}/api/v1/runs/101/summary`, {
        method: 'OPTIONS',
        headers: {
          origin: 'http://localhost:5173',
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
      const res = await s.get('/api/v1/runs/101/summary', {
        ...bearer(s.demo.samples?.[0]?.apiKey ?? ''),
        origin: 'http://localhost:5173',
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-expose-headers')).toContain('X-RateLimit-Remaining');
      const other = await s.get('/api/v1/runs/101/summary', { origin: 'http://evil.example' });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await s.close();
    }
  });

  test('without configured origins no CORS header is sent', async () => {
    const res = await server.get('/api/v1/runs/101/summary', { ...bearer(key), origin: 'http://localhost:5173' });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});
