import { API_NAMES, APIS } from '../../generated/apis.ts';
import type { ApiName, DemoTenant } from '../../server/core/types.ts';
import { demoWorkflowId } from '../../server/store/demo/workflows.ts';

/** Each API's list operation and the status its contract gives malformed input. */
export const LIST_OPERATION: Record<ApiName, { operationId: string; badInput: number }> = {
  telemetry: { operationId: 'telemetryListRuns', badInput: 400 },
  workflows: { operationId: 'workflowsListRuns', badInput: 422 },
  matching: { operationId: 'matchingListRuns', badInput: 400 },
  taxonomy: { operationId: 'taxonomyListRuns', badInput: 400 },
  samples: { operationId: 'samplesListRuns', badInput: 400 },
};

/** Every API's terminal run statuses together: a run in one of them can no longer change. */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set([
  'completed',
  'failed',
  'cancelled',
  'canceled',
  'succeeded',
]);

/** Each API's seed operation: the run read its vendor page documents. */
export const GET_OPERATION: Record<ApiName, string> = Object.fromEntries(
  API_NAMES.map((api) => [api, APIS[api].seedOperation]),
) as Record<ApiName, string>;

/** The list path of a demo tenant, with `?` or `&` ready for more query parameters. */
export function listPath(api: ApiName, tenant: DemoTenant): string {
  switch (api) {
    case 'workflows':
      return `/api/v1/workflows/${demoWorkflowId(tenant.tenant)}/runs?`;
    case 'taxonomy':
      return `/v1/taxonomy/runs?tenant_id=${encodeURIComponent(tenant.tenant)}&`;
    case 'telemetry':
      return '/v1/telemetry/runs?';
    case 'matching':
      return '/v1/matching/runs?';
    case 'samples':
      return '/api/v1/runs?';
  }
}

/** The headers a demo tenant sends: its key and any header its API needs. */
export const tenantHeaders = (tenant: DemoTenant): Record<string, string> => ({
  authorization: `Bearer ${tenant.apiKey}`,
  ...(tenant.headers ?? {}),
});
