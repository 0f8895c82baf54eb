import type { ApiName } from '../core/types.ts';
import type { Queryable } from './db.ts';

/** A run that can no longer change, and the parent its URL names (workflows' workflow). */
export interface TerminalRun {
  id: string;
  parentId?: string;
}

/** Per API: the runs table, the column of the tenant that owns a run, and the parent's, if any. */
const RUNS: Record<ApiName, { table: string; tenant: string; parent?: string }> = {
  telemetry: { table: 'telemetry_runs', tenant: 'organization_id' },
  workflows: { table: 'workflows_runs', tenant: 'workspace_id', parent: 'workflow_id' },
  matching: { table: 'matching_runs', tenant: 'workspace_id' },
  taxonomy: { table: 'taxonomy_runs', tenant: 'tenant_id' },
  samples: { table: 'samples_runs', tenant: 'project_id' },
};

/**
 * Up to `limit` runs of `tenant` in one of `statuses` (the API's terminal ones), newest first:
 * the runs whose bodies can be rendered once and stored.
 */
export function terminalRuns(
  db: Queryable,
  api: ApiName,
  tenant: string,
  statuses: readonly string[],
  limit: number,
): Promise<TerminalRun[]> {
  const { table, tenant: owner, parent } = RUNS[api];
  return db.query<TerminalRun>(
    `SELECT id::text${parent ? `, ${parent}::text AS "parentId"` : ''} FROM ${table}
      WHERE ${owner} = $1 AND status::text = ANY($2::text[]) ORDER BY created_at DESC LIMIT $3`,
    [tenant, [...statuses], limit],
  );
}
