import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LIST_OPERATION, listPath, tenantHeaders } from '../helpers/apis.ts';
import { bearer, startTestServer, type TestServer } from '../helpers/server.ts';
import { API_NAMES, specValidator } from '../helpers/spec.ts';

const samples = specValidator('samples');
let server: TestServer;
let key: string;
beforeAll(async () => {
  server = await startTestServer();
  key = server.demo.samples?.[0]?.apiKey ?? '';
});
afterAll(() => server.close());

describe('ids have one spelling', () => {
  test('the canonical id reads the run', async () => {
    expect((await server.get('/api/v1/runs/101/summary', bearer(key))).status).toBe(200);
  });

  test.each(['0x65', '1e2', '1.01e2', '0b1100101', '0o145', '%20101', '101%20', '0101', '+101', '101.0'])(
    'samples run %s is a 400 in the samples shape, not run 101',
    async (id) => {
      const res = await server.get(`/api/v1/runs/${id}/summary`, bearer(key));
      expect(res.status).toBe(400);
      const body = await res.json();
      expect(samples.validate('samplesGetRunSummary', 400, body).errors).toBe('No errors');
      expect(body).toMatchObject({ code: 'bad_request', details: { parameter: 'run_id', location: 'path' } });
    },
  );

  test.each(['1e2', '0x10', '%2010', '010', '2.0'])('samples limit=%s is a 400 in the samples shape', async (limit) => {
    const res = await server.get(`/api/v1/runs?limit=${limit}`, bearer(key));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(samples.validate('samplesListRuns', 400, body).errors).toBe('No errors');
    expect(body).toMatchObject({ code: 'bad_request', details: { parameter: 'limit', location: 'query' } });
  });

  test.each(API_NAMES)('%s: limit=1e1 is refused in the API’s own shape; limit=10 is not', async (api) => {
    const tenant = server.demo[api]?.[0];
    if (!tenant) throw new Error(`no demo tenant for ${api}`);
    const { operationId, badInput } = LIST_OPERATION[api];
    const ok = await server.get(`${listPath(api, tenant)}limit=10`, tenantHeaders(tenant));
    expect(ok.status).toBe(200);
    const res = await server.get(`${listPath(api, tenant)}limit=1e1`, tenantHeaders(tenant));
    expect(res.status).toBe(badInput);
    expect(specValidator(api).validate(operationId, badInput, await res.json()).errors).toBe('No errors');
  });
});
