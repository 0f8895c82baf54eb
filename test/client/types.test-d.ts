// Compiled by `npx tsc --noEmit` (tsconfig includes test/), never run: each `@ts-expect-error`
// fails the build if the line under it ever compiles, so the clients' typing cannot quietly rot.
import { assertType, expectTypeOf } from 'vitest';
import {
  type ApiError,
  createSamplesClient,
  createTaxonomyClient,
  createWorkflowsClient,
  type SamplesErrorBody,
  type SamplesSchemas,
  unwrap,
  type WorkflowsErrorBody,
} from '../../client/index.ts';

const samples = createSamplesClient({ baseUrl: 'http://localhost:4010', token: 't' });
const taxonomy = createTaxonomyClient({ baseUrl: 'http://localhost:4010', token: 't' });
const workflows = createWorkflowsClient({ baseUrl: 'http://localhost:4010', token: 't', workspaceId: 'ws_1' });

export async function typedCalls() {
  const summary = await samples.GET('/api/v1/runs/{run_id}/summary', { params: { path: { run_id: 42 } } });
  if (summary.data) expectTypeOf(summary.data).toEqualTypeOf<SamplesSchemas['SamplesRunSummary']>();
  if (summary.error) expectTypeOf(summary.error).toEqualTypeOf<SamplesErrorBody>();
  expectTypeOf(summary.response).toEqualTypeOf<Response>();

  const runs = await unwrap(samples.GET('/api/v1/runs', { params: { query: { status: 'running', limit: 5 } } }));
  expectTypeOf(runs.data).toEqualTypeOf<SamplesSchemas['SamplesRunListItem'][]>();
  expectTypeOf(runs.next_cursor).toEqualTypeOf<string | null>();

  const overview = await workflows.GET('/api/v1/workflows/{workflow_id}/runs/{run_id}/overview', {
    params: { path: { workflow_id: 'w', run_id: 'r' } },
  });
  if (overview.error) assertType<WorkflowsErrorBody>(overview.error);

  assertType<ApiError>({} as ApiError<SamplesErrorBody>);
}

export async function rejectedCalls() {
  // @ts-expect-error wrong path: samples has no /api/v1/run/{run_id}/summary
  await samples.GET('/api/v1/run/{run_id}/summary', { params: { path: { run_id: 42 } } });

  // @ts-expect-error wrong path for this client: telemetry's path on the samples client
  await samples.GET('/v1/telemetry/runs', {});

  // @ts-expect-error wrong parameter: run_id is an integer, not a string
  await samples.GET('/api/v1/runs/{run_id}/summary', { params: { path: { run_id: 'abc' } } });

  // @ts-expect-error wrong parameter: the required path parameter is missing
  await samples.GET('/api/v1/runs/{run_id}/summary', { params: { path: {} } });

  // @ts-expect-error wrong parameter: taxonomy's tenant_id query parameter is required
  await taxonomy.GET('/v1/taxonomy/runs', { params: { query: { limit: 5 } } });

  // @ts-expect-error wrong parameter: status outside the run status enum
  await samples.GET('/api/v1/runs', { params: { query: { status: 'exploded' } } });

  const { data, error } = await samples.GET('/api/v1/runs/{run_id}/summary', { params: { path: { run_id: 1 } } });
  // @ts-expect-error misuse of the response: data may be undefined until error is ruled out
  data.fail_count;
  if (data) {
    // @ts-expect-error misuse of the response: the summary has no `failed` field
    data.failed;
  }
  if (error) {
    // @ts-expect-error misuse of the response: samples errors carry code/message/details, not detail
    error.detail;
  }
  const summary = await unwrap(samples.GET('/api/v1/runs/{run_id}/summary', { params: { path: { run_id: 1 } } }));
  // @ts-expect-error misuse of the response: unwrap resolves to the body, not `{ data }`
  summary.data;
}
