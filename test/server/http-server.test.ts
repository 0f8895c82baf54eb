/**
 * The HTTP layer `npm start` listens with (server/http/http-server.ts), below Express: a request
 * line in absolute form, as a forward proxy sends it, is the same request as its origin form.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { tenantHeaders } from '../helpers/apis.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { API_NAMES } from '../helpers/spec.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** node:http sends `path` verbatim as the request target. */
function get(target: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(server.url, { path: target, headers });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('a request target in absolute form', () => {
  test.each(API_NAMES)('%s: answered as its path, with the same body', async (api) => {
    const tenant = server.demo[api]?.[0];
    const path = tenant?.runs[0]?.path;
    if (!tenant || !path) throw new Error(`no demo run for ${api}`);
    const origin = await get(path, tenantHeaders(tenant));
    const absolute = await get(`http://api.example.test${path}`, tenantHeaders(tenant));
    expect(origin.status).toBe(200);
    expect(absolute.status).toBe(200);
    // Workflows wraps the run in a per-request meta (request id, time): only `data` is the run's.
    const run = (body: string) => (api === 'workflows' ? JSON.parse(body).data : JSON.parse(body));
    expect(run(absolute.body)).toEqual(run(origin.body));
  });
});
