import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LIST_OPERATION, listPath, tenantHeaders } from '../helpers/apis.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { API_NAMES, specValidator } from '../helpers/spec.ts';

/** From the issue: ["0000-01-01T00:00:00.000Z", "7e1e0000-…"], once a 500 (SQLSTATE 22008). */
const YEAR_ZERO = 'WyIwMDAwLTAxLTAxVDAwOjAwOjAwLjAwMFoiLCI3ZTFlMDAwMC0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMTAwMDEiXQ';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe.each(API_NAMES)('%s list operation', (api) => {
  const spec = specValidator(api);
  const { operationId, badInput } = LIST_OPERATION[api];

  test('a forged cursor dated year 0000 is the API’s own 4xx, never a 500', async () => {
    const tenant = server.demo[api]?.[0];
    if (!tenant) throw new Error(`no demo tenant for ${api}`);
    const res = await server.get(`${listPath(api, tenant)}cursor=${YEAR_ZERO}`, tenantHeaders(tenant));
    expect(res.status).toBe(badInput);
    expect(spec.validate(operationId, badInput, await res.json()).errors).toBe('No errors');
  });

  test('the cursor it issued pages on; the same cursor with one character changed is refused', async () => {
    const tenant = server.demo[api]?.[0];
    if (!tenant) throw new Error(`no demo tenant for ${api}`);
    const first = await server.get(`${listPath(api, tenant)}limit=1`, tenantHeaders(tenant));
    expect(first.status).toBe(200);
    const body = (await first.json()) as { next_cursor?: string; meta?: { next_cursor?: string } };
    const cursor = body.next_cursor ?? body.meta?.next_cursor;
    expect(cursor).toBeTruthy();
    const next = await server.get(`${listPath(api, tenant)}limit=1&cursor=${cursor}`, tenantHeaders(tenant));
    expect(next.status).toBe(200);
    const forged = `${cursor?.slice(0, 5)}${cursor?.[5] === 'x' ? 'y' : 'x'}${cursor?.slice(6)}`;
    const res = await server.get(`${listPath(api, tenant)}limit=1&cursor=${forged}`, tenantHeaders(tenant));
    expect(res.status).toBe(badInput);
    expect(spec.validate(operationId, badInput, await res.json()).errors).toBe('No errors');
  });
});
