/**
 * The HTTP layer `npm start` listens with (server/http/http-server.ts), below Express: a request
 * line in absolute form, as a forward proxy sends it, is the same request as its origin form.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { tenantHeaders } from '../helpers/apis.ts';
import { rawRequest } from '../helpers/http.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { API_NAMES } from '../helpers/spec.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('a request target in absolute form', () => {
  test.each(API_NAMES)('%s: answered as its path, with the same body', async (api) => {
    const tenant = server.demo[api]?.[0];
    const path = tenant?.runs[0]?.path;
    if (!tenant || !path) throw new Error(`no demo run for ${api}`);
    const headers = tenantHeaders(tenant);
    const origin = await rawRequest(server.url + path, { headers });
    // node:http sends `target` verbatim as the request line's target.
    const absolute = await rawRequest(server.url, { headers, target: `http://api.example.test${path}` });
    expect(origin.status).toBe(200);
    expect(absolute.status).toBe(200);
    // Workflows wraps the run in a per-request meta (request id, time): only `data` is the run's.
    const run = (body: string) => (api === 'workflows' ? JSON.parse(body).data : JSON.parse(body));
    expect(run(absolute.body)).toEqual(run(origin.body));
  });
});
