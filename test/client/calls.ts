import {
  createMatchingClient,
  createSamplesClient,
  createTaxonomyClient,
  createTelemetryClient,
  createWorkflowsClient,
  type WorkflowsClientOptions,
} from '../../client/index.ts';
import type { OperationId } from '../../mocks/scenarios.ts';

/** All five clients over one origin and token (workspaceId only reaches workflows). */
export function clientsFor(options: WorkflowsClientOptions) {
  return {
    telemetry: createTelemetryClient(options),
    workflows: createWorkflowsClient(options),
    matching: createMatchingClient(options),
    taxonomy: createTaxonomyClient(options),
    samples: createSamplesClient(options),
  };
}
export type Clients = ReturnType<typeof clientsFor>;

type Outcome = { data?: unknown; error?: unknown; response: Response };
type Call = (clients: Clients, headers?: Record<string, string>) => Promise<Outcome>;

// Ids from the documents' own examples, so the mock's request validation accepts every call.
const RUN_UUID = 'a1b2c3d4-e5f6-7890-abcd-ef1234567890';
const WORKFLOW = {
  workflow_id: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
  run_id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
};
const TENANT = 'tnt_acme';

/** One typed call per operation of the five APIs (a missing operation fails to compile). */
export const mockCalls: Record<OperationId, Call> = {
  telemetryListRuns: (c, headers) =>
    c.telemetry.GET('/v1/telemetry/runs', { params: { query: { limit: 3 } }, headers }),
  telemetryGetRunSummary: (c, headers) =>
    c.telemetry.GET('/v1/telemetry/runs/{id}/summary', { params: { path: { id: RUN_UUID } }, headers }),
  telemetryGetSchemaSummary: (c, headers) =>
    c.telemetry.GET('/v1/telemetry/schemas/{schema_id}/summary', {
      params: { path: { schema_id: 'sch-uuid-1' } },
      headers,
    }),
  workflowsListRuns: (c, headers) =>
    c.workflows.GET('/api/v1/workflows/{workflow_id}/runs', {
      params: { path: { workflow_id: WORKFLOW.workflow_id } },
      headers,
    }),
  workflowsGetRunOverview: (c, headers) =>
    c.workflows.GET('/api/v1/workflows/{workflow_id}/runs/{run_id}/overview', { params: { path: WORKFLOW }, headers }),
  matchingListRuns: (c, headers) =>
    c.matching.GET('/v1/matching/runs', { params: { query: { status: 'completed' } }, headers }),
  matchingGetRun: (c, headers) =>
    c.matching.GET('/v1/matching/runs/{id}', { params: { path: { id: RUN_UUID } }, headers }),
  taxonomyListRuns: (c, headers) =>
    c.taxonomy.GET('/v1/taxonomy/runs', { params: { query: { tenant_id: TENANT } }, headers }),
  taxonomyGetRun: (c, headers) =>
    c.taxonomy.GET('/v1/taxonomy/runs/{run_id}', {
      params: { path: { run_id: '182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e' }, query: { tenant_id: TENANT } },
      headers,
    }),
  samplesListRuns: (c, headers) => c.samples.GET('/api/v1/runs', { params: { query: { limit: 20 } }, headers }),
  samplesGetRunSummary: (c, headers) =>
    c.samples.GET('/api/v1/runs/{run_id}/summary', { params: { path: { run_id: 42 } }, headers }),
};

/** The body openapi-fetch parsed, whichever side of ok it landed on. */
export const bodyOf = (outcome: Outcome): unknown => (outcome.response.ok ? outcome.data : outcome.error);
