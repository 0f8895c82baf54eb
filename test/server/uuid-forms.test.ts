import { afterAll, beforeAll, expect, test } from 'vitest';
import { bearer, startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const URN = 'urn:uuid:182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e';

// ajv's uuid format admits the URN form, which PostgreSQL's uuid type refuses: it must be a 4xx.
test.each([
  ['telemetry', `/v1/telemetry/runs/${URN}/summary`],
  ['matching', `/v1/matching/runs/${URN}`],
  ['matching', `/v1/matching/runs?matching_config_id=${URN}`],
  ['taxonomy', `/v1/taxonomy/runs/${URN}?tenant_id=TENANT`],
  ['workflows', `/api/v1/workflows/${URN}/runs`],
])('%s refuses a URN-form uuid in %s with a 4xx', async (api, path) => {
  const tenant = server.demo[api]?.[0];
  const res = await server.get(path.replace('TENANT', tenant?.tenant ?? ''), {
    ...bearer(tenant?.apiKey ?? ''),
    ...(tenant?.headers ?? {}),
  });
  expect(res.status, await res.clone().text()).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
});
