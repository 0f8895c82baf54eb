import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GET_OPERATION, LIST_OPERATION, listPath, tenantHeaders } from '../helpers/apis.ts';
import { bearer, startTestServer, type TestServer } from '../helpers/server.ts';
import { API_NAMES, specValidator } from '../helpers/spec.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/**
 * Through node:http: it reports any body bytes a server wrongly sends to HEAD, and unlike fetch it
 * adds no `Cache-Control: no-cache` to a conditional request.
 */
function raw(path: string, headers: Record<string, string>, method = 'HEAD') {
  return new Promise<{ status: number; headers: Record<string, unknown>; bytes: number }>((resolve, reject) => {
    const req = request(server.url + path, { method, headers });
    req.on('response', (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => {
        bytes += c.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('headers for authenticated data', () => {
  test.each(API_NAMES)(
    '%s: nosniff, private revalidated caching, Vary on the credential and workspace',
    async (api) => {
      const tenant = server.demo[api]?.[0];
      if (!tenant) throw new Error(`no demo tenant for ${api}`);
      for (const [path, headers] of [
        [tenant.runs[0]?.path ?? '', tenantHeaders(tenant)],
        [tenant.runs[0]?.path ?? '', bearer('wrong-key')],
      ] as const) {
        const res = await server.get(path, headers);
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.headers.get('cache-control')).toBe('private, max-age=0');
        const vary = (res.headers.get('vary') ?? '').split(/,\s*/).map((v) => v.toLowerCase());
        expect(vary).toEqual(expect.arrayContaining(['authorization', 'x-workspace-id']));
        expect(res.headers.get('x-frame-options')).toBe('DENY');
      }
    },
  );

  test('the ETag still revalidates: a repeat with If-None-Match is a 304', async () => {
    const tenant = server.demo.samples?.[0];
    if (!tenant) throw new Error('no samples tenant');
    const first = await server.get('/api/v1/runs/101/summary', tenantHeaders(tenant));
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await raw(
      '/api/v1/runs/101/summary',
      { ...tenantHeaders(tenant), 'if-none-match': etag ?? '' },
      'GET',
    );
    expect(again.status).toBe(304);
    expect(again.bytes).toBe(0);
  });

  test('the docs carry a CSP with frame-ancestors and X-Frame-Options', async () => {
    const res = await server.get('/openapi/samples.json');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});

describe('HEAD on every GET operation answers like GET without a body', () => {
  test.each(API_NAMES)('%s', async (api) => {
    const tenant = server.demo[api]?.[0];
    if (!tenant) throw new Error(`no demo tenant for ${api}`);
    // A finished run's body does not change between the two requests (but workflows echoes the
    // request id in meta); a list may (running runs age).
    const done = tenant.runs.find((r) => ['completed', 'succeeded'].includes(r.status));
    for (const [path, operationId, stable] of [
      [done?.path ?? '', GET_OPERATION[api], api !== 'workflows'],
      [`${listPath(api, tenant)}limit=2`, LIST_OPERATION[api].operationId, false],
    ] as const) {
      const get = await server.get(path, tenantHeaders(tenant));
      const body = await get.text();
      expect(get.status).toBe(200);
      expect(specValidator(api).validate(operationId, 200, JSON.parse(body)).errors).toBe('No errors');
      const h = await raw(path, tenantHeaders(tenant));
      expect(h.status, `${api} HEAD ${path}`).toBe(200);
      expect(h.bytes).toBe(0);
      expect(h.headers['content-type']).toBe(get.headers.get('content-type'));
      expect(h.headers['cache-control']).toBe('private, max-age=0');
      if (stable) {
        expect(Number(h.headers['content-length'])).toBe(Buffer.byteLength(body));
        expect(h.headers.etag).toBe(get.headers.get('etag'));
      } else expect(Number(h.headers['content-length'])).toBeGreaterThan(0);
      const refused = await raw(path, bearer('wrong-key'));
      expect(refused.status).toBe(401);
      expect(refused.bytes).toBe(0);
    }
  });
});
