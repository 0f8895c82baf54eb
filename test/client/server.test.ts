import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApiError, unwrap } from '../../client/index.ts';
import type { ApiName, OperationId } from '../../mocks/scenarios.ts';
import type { DemoTenant } from '../../server/core/types.ts';
import { demoWorkflowId } from '../../server/store/demo/workflows.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { specValidator } from '../helpers/spec.ts';
import { type Clients, clientsFor } from './calls.ts';

type Outcome = { data?: unknown; error?: unknown; response: Response };

interface Case {
  list: [OperationId, (c: Clients, t: DemoTenant) => Promise<Outcome>];
  get: [OperationId, (c: Clients, t: DemoTenant, runId: string) => Promise<Outcome>];
  missingRunId: string;
}

const UNKNOWN_UUID = '00000000-0000-4000-8000-000000000000';
const workflowOf = (t: DemoTenant) => demoWorkflowId(t.tenant) ?? '';

/** The same typed calls as against the mock, with ids from the server's demo data. */
const CASES: Record<ApiName, Case> = {
  telemetry: {
    list: ['telemetryListRuns', (c) => c.telemetry.GET('/v1/telemetry/runs')],
    get: [
      'telemetryGetRunSummary',
      (c, _t, id) => c.telemetry.GET('/v1/telemetry/runs/{id}/summary', { params: { path: { id } } }),
    ],
    missingRunId: UNKNOWN_UUID,
  },
  workflows: {
    list: [
      'workflowsListRuns',
      (c, t) =>
        c.workflows.GET('/api/v1/workflows/{workflow_id}/runs', { params: { path: { workflow_id: workflowOf(t) } } }),
    ],
    get: [
      'workflowsGetRunOverview',
      (c, t, run_id) =>
        c.workflows.GET('/api/v1/workflows/{workflow_id}/runs/{run_id}/overview', {
          params: { path: { workflow_id: workflowOf(t), run_id } },
        }),
    ],
    missingRunId: UNKNOWN_UUID,
  },
  matching: {
    list: ['matchingListRuns', (c) => c.matching.GET('/v1/matching/runs')],
    get: ['matchingGetRun', (c, _t, id) => c.matching.GET('/v1/matching/runs/{id}', { params: { path: { id } } })],
    missingRunId: UNKNOWN_UUID,
  },
  taxonomy: {
    list: [
      'taxonomyListRuns',
      (c, t) => c.taxonomy.GET('/v1/taxonomy/runs', { params: { query: { tenant_id: t.tenant } } }),
    ],
    get: [
      'taxonomyGetRun',
      (c, t, run_id) =>
        c.taxonomy.GET('/v1/taxonomy/runs/{run_id}', { params: { path: { run_id }, query: { tenant_id: t.tenant } } }),
    ],
    missingRunId: UNKNOWN_UUID,
  },
  samples: {
    list: ['samplesListRuns', (c) => c.samples.GET('/api/v1/runs')],
    get: [
      'samplesGetRunSummary',
      (c, _t, id) => c.samples.GET('/api/v1/runs/{run_id}/summary', { params: { path: { run_id: Number(id) } } }),
    ],
    missingRunId: '999999',
  },
};

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const clientsOf = (t: DemoTenant, token = t.apiKey) => {
  const workspaceId = Object.entries(t.headers ?? {}).find(([k]) => k.toLowerCase() === 'x-workspace-id')?.[1];
  return clientsFor({ baseUrl: server.url, token, retry: false, ...(workspaceId ? { workspaceId } : {}) });
};

describe.each(Object.entries(CASES) as Array<[ApiName, Case]>)('server: %s through the client', (api, c) => {
  const spec = specValidator(api);
  const tenant = () => {
    const t = server.demo[api]?.[0];
    if (!t) throw new Error(`the server has no ${api} demo tenant yet`);
    return t;
  };
  const expectValid = (op: OperationId, outcome: Outcome) => {
    const body = outcome.response.ok ? outcome.data : outcome.error;
    expect(spec.validate(op, outcome.response.status, body), `${op} ${outcome.response.status}`).toMatchObject({
      valid: true,
    });
  };

  test('lists the demo runs', async () => {
    const [op, call] = c.list;
    const outcome = await call(clientsOf(tenant()), tenant());
    expect(outcome.response.status).toBe(200);
    expectValid(op, outcome);
  });

  test('reads every demo run; each answer validates', async () => {
    const [op, call] = c.get;
    const statuses: number[] = [];
    for (const run of tenant().runs) {
      const outcome = await call(clientsOf(tenant()), tenant(), String(run.id));
      statuses.push(outcome.response.status);
      expectValid(op, outcome);
    }
    expect(statuses).toContain(200);
  });

  test('an unknown run is a typed ApiError with the request id', async () => {
    const [op, call] = c.get;
    const outcome = await call(clientsOf(tenant()), tenant(), c.missingRunId);
    expect(outcome.response.status).toBe(404);
    expectValid(op, outcome);
    const error = await unwrap(call(clientsOf(tenant()), tenant(), c.missingRunId)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).requestId).toMatch(/\S/);
  });

  test('a wrong token is a 401 in the API’s own shape', async () => {
    const [op, call] = c.list;
    const outcome = await call(clientsOf(tenant(), 'not-a-real-key'), tenant());
    expect(outcome.response.status).toBe(401);
    expectValid(op, outcome);
  });
});

test('server: telemetry schema summary through the client', async () => {
  const t = server.demo.telemetry?.[0];
  if (!t) throw new Error('the server has no telemetry demo tenant yet');
  const clients = clientsOf(t);
  const list = await unwrap(clients.telemetry.GET('/v1/telemetry/runs'));
  const schemaId = list.data[0]?.schema_id ?? 'none';
  const outcome = await clients.telemetry.GET('/v1/telemetry/schemas/{schema_id}/summary', {
    params: { path: { schema_id: schemaId } },
  });
  expect([200, 404]).toContain(outcome.response.status);
  const body = outcome.response.ok ? outcome.data : outcome.error;
  expect(specValidator('telemetry').validate('telemetryGetSchemaSummary', outcome.response.status, body)).toMatchObject(
    {
      valid: true,
    },
  );
});
