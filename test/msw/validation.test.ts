/**
 * The MSW handlers hold requests to the documents as the reference server does: the same bad
 * request gets the same status and the same body (each API's own error shape, naming the real
 * parameter) from both. Validation runs generated Ajv code, so the handlers need no Ajv.
 */
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { handlers, override } from '../../mocks/handlers.ts';
import { catalog } from '../../mocks/scenarios.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { specValidator } from '../helpers/spec.ts';

const MSW = 'http://api.test';
const mock = setupServer(...handlers);
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ rateLimit: { limit: 1e9 } });
  // Calls to the real server pass through; calls to api.test are answered by the handlers.
  mock.listen({ onUnhandledRequest: 'bypass' });
}, 120_000);
afterAll(async () => {
  mock.close();
  await server?.close();
});

const WORKFLOW = '00000000-0000-4000-8000-000000000001';
const CASES: Array<{ api: string; operationId: string; path: string }> = [
  { api: 'telemetry', operationId: 'telemetryListRuns', path: '/v1/telemetry/runs?limit=1000' },
  { api: 'workflows', operationId: 'workflowsListRuns', path: `/api/v1/workflows/${WORKFLOW}/runs?limit=1000` },
  { api: 'matching', operationId: 'matchingListRuns', path: '/v1/matching/runs?limit=1000' },
  { api: 'taxonomy', operationId: 'taxonomyListRuns', path: '/v1/taxonomy/runs?tenant_id=acme&limit=1000' },
  { api: 'samples', operationId: 'samplesListRuns', path: '/api/v1/runs?limit=1000' },
  { api: 'samples', operationId: 'samplesGetRunSummary', path: '/api/v1/runs/0/summary' },
  { api: 'samples', operationId: 'samplesGetRunSummary', path: '/api/v1/runs/abc/summary' },
  { api: 'samples', operationId: 'samplesListRuns', path: '/api/v1/runs?status=nope' },
  { api: 'samples', operationId: 'samplesListRuns', path: '/api/v1/runs?limit=' },
  { api: 'samples', operationId: 'samplesListRuns', path: '/api/v1/runs?unknown=1' },
  { api: 'telemetry', operationId: 'telemetryGetRunSummary', path: '/v1/telemetry/runs/not-a-uuid/summary' },
  {
    api: 'workflows',
    operationId: 'workflowsGetRunOverview',
    path: `/api/v1/workflows/nope/runs/${WORKFLOW}/overview`,
  },
  { api: 'workflows', operationId: 'workflowsListRuns', path: `/api/v1/workflows/${WORKFLOW}/runs?limit=abc` },
  { api: 'taxonomy', operationId: 'taxonomyListRuns', path: '/v1/taxonomy/runs?tenant_id=acme&status=nope' },
];

async function answer(base: string, path: string, headers: Record<string, string>) {
  const response = await fetch(base + path, { headers });
  return { status: response.status, body: (await response.json()) as unknown };
}

describe('MSW answers invalid input as the server does', () => {
  test.each(CASES)('$api $path', async ({ api, operationId, path }) => {
    const tenant = server.demo[api]?.[0];
    const real = await answer(server.url, path, {
      Authorization: `Bearer ${tenant?.apiKey}`,
      ...tenant?.headers,
    });
    const mocked = await answer(MSW, path, { Authorization: 'Bearer any-token' });
    expect([400, 422]).toContain(real.status);
    expect(mocked).toEqual(real);
    expect(specValidator(api as never).validate(operationId, mocked.status, mocked.body)).toMatchObject({
      valid: true,
    });
  });

  test('the parameter is named in the answer', async () => {
    const samples = await answer(MSW, '/api/v1/runs/0/summary', { Authorization: 'Bearer t' });
    expect(samples).toMatchObject({
      status: 400,
      body: { code: 'bad_request', details: { parameter: 'run_id', location: 'path' } },
    });
    const workflows = await answer(MSW, `/api/v1/workflows/${WORKFLOW}/runs?limit=1000`, { Authorization: 'Bearer t' });
    expect(workflows).toMatchObject({ status: 422, body: { detail: [{ loc: ['query', 'limit'] }] } });
  });

  test('credentials are checked before input: no token and a bad limit is a 401', async () => {
    const { status } = await answer(MSW, '/api/v1/runs?limit=1000', {});
    expect(status).toBe(401);
  });

  test('every operation accepts the valid request its default scenario answers', async () => {
    const first = catalog.find((o) => o.operationId === 'taxonomyListRuns');
    expect(first).toBeDefined();
    const ok = await answer(MSW, '/v1/taxonomy/runs?tenant_id=acme&limit=100', { Authorization: 'Bearer t' });
    expect(ok).toEqual({ status: 200, body: first?.scenarios[0]?.value });
  });
});

describe('override: a per-test answer with a typed body', () => {
  test('answers the given body at the given status, after the same checks', async () => {
    mock.use(
      override('samplesGetRunSummary', 404, {
        code: 'not_found',
        message: 'Run 7 does not exist.',
        details: {},
      }),
    );
    const found = await answer(MSW, '/api/v1/runs/7/summary', { Authorization: 'Bearer t' });
    expect(found).toEqual({
      status: 404,
      body: { code: 'not_found', message: 'Run 7 does not exist.', details: {} },
    });
    expect((await answer(MSW, '/api/v1/runs/0/summary', { Authorization: 'Bearer t' })).status).toBe(400);
    mock.resetHandlers();
  });

  test('a body of the wrong shape or an undeclared status fails tsc', () => {
    // @ts-expect-error: run_id is an integer in the samples document
    override('samplesGetRunSummary', 200, { run_id: 'seven' });
    // @ts-expect-error: samplesGetRunSummary declares no 418
    override('samplesGetRunSummary', 418, {});
    expect(true).toBe(true);
  });
});
