/**
 * React Query over the typed clients (openapi-react-query): per API, `useQuery`, `queryOptions`,
 * `useSuspenseQuery` and `useInfiniteQuery` typed by that API's paths, plus polling until a run
 * reaches a terminal status. Needs `@tanstack/react-query` and `openapi-react-query` (optional
 * peer dependencies of the package); the rest of the package works without them.
 */
import createQueryClient, { type OpenapiQueryClient } from 'openapi-react-query';
import type { MatchingClient, MatchingPaths, MatchingSchemas } from './matching.ts';
import type { SamplesClient, SamplesPaths, SamplesSchemas } from './samples.ts';
import type { TaxonomyClient, TaxonomyPaths, TaxonomySchemas } from './taxonomy.ts';
import type { TelemetryClient, TelemetryPaths, TelemetrySchemas } from './telemetry.ts';
import type { WorkflowsClient, WorkflowsPaths, WorkflowsSchemas } from './workflows.ts';

export type { OpenapiQueryClient };
export type TelemetryQueries = OpenapiQueryClient<TelemetryPaths>;
export type WorkflowsQueries = OpenapiQueryClient<WorkflowsPaths>;
export type MatchingQueries = OpenapiQueryClient<MatchingPaths>;
export type TaxonomyQueries = OpenapiQueryClient<TaxonomyPaths>;
export type SamplesQueries = OpenapiQueryClient<SamplesPaths>;

/** `$api.useQuery('get', '/v1/telemetry/runs/{id}/summary', { params: { path: { id } } })` */
export function createTelemetryQueries(client: TelemetryClient): TelemetryQueries {
  return createQueryClient(client);
}

export function createWorkflowsQueries(client: WorkflowsClient): WorkflowsQueries {
  return createQueryClient(client);
}

export function createMatchingQueries(client: MatchingClient): MatchingQueries {
  return createQueryClient(client);
}

export function createTaxonomyQueries(client: TaxonomyClient): TaxonomyQueries {
  return createQueryClient(client);
}

export function createSamplesQueries(client: SamplesClient): SamplesQueries {
  return createQueryClient(client);
}

/** Each API's run statuses after which a run never changes again (typed by the documents' enums). */
export const TERMINAL_STATUSES: {
  telemetry: readonly TelemetrySchemas['TelemetryRunStatus'][];
  workflows: readonly WorkflowsSchemas['WorkflowsRunStatus'][];
  matching: readonly MatchingSchemas['MatchingRunStatus'][];
  taxonomy: readonly TaxonomySchemas['TaxonomyRunStatus'][];
  samples: readonly SamplesSchemas['SamplesRunStatus'][];
} = {
  telemetry: ['completed', 'failed'],
  workflows: ['completed', 'failed', 'cancelled'],
  matching: ['completed', 'failed', 'cancelled'],
  taxonomy: ['succeeded', 'failed', 'canceled'],
  samples: ['completed', 'canceled'],
};

/** What `refetchInterval` is given: the query, of which only its state is read here. */
export interface PolledQuery {
  state: { data: unknown; status: 'pending' | 'error' | 'success' };
}

export interface PollOptions<T = unknown> {
  /** Default 2000. */
  intervalMs?: number;
  /**
   * Where the status is in the body; default its top-level `status` (matching, taxonomy). Typed by
   * its parameter: `(d: WorkflowsSchemas['WorkflowsRunOverviewResponse']) => d.data.run.status`.
   */
  statusOf?: (data: T) => unknown;
}

const topLevelStatus = (data: unknown): unknown => (data as { status?: unknown } | null)?.status;

/**
 * A `refetchInterval` that polls until the run's status is terminal, and stops on an error (the
 * query's own retry handles transient ones):
 * `$api.useQuery('get', path, init, { refetchInterval: pollUntilTerminal(TERMINAL_STATUSES.matching) })`.
 */
export function pollUntilTerminal<T = unknown>(
  terminal: readonly string[],
  options: PollOptions<T> = {},
): (query: PolledQuery) => number | false {
  const { intervalMs = 2000, statusOf = topLevelStatus } = options;
  return (query) => {
    if (query.state.status === 'error') return false;
    if (query.state.data === undefined) return intervalMs;
    // The query's data is the body this operation answers, whose type statusOf names.
    const status = statusOf(query.state.data as T);
    return typeof status === 'string' && terminal.includes(status) ? false : intervalMs;
  };
}
