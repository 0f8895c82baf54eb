import type { components } from '../../generated/workflows.ts';
import type { Queryable } from './db.ts';
import { listQuery } from './list-query.ts';
import { type CursorPosition, toPage } from './pagination.ts';

type Schemas = components['schemas'];
type Run = Schemas['WorkflowsRun'];
type RunStatus = Schemas['WorkflowsRunStatus'];
type RunOverview = Schemas['WorkflowsRunOverview'];
type Metric = Schemas['WorkflowsMetric'];
type MetricSection = Schemas['WorkflowsMetricSection'];

const RUN_COLUMNS = 'id, status, created_at, started_at, completed_at, has_export, error';

/** The caller's workspaces, default first: the first entry is read when X-Workspace-Id is absent. */
export async function memberWorkspaces(db: Queryable, userId: string): Promise<string[]> {
  const rows = await db.query<{ workspace_id: string }>(
    `SELECT workspace_id FROM workflows_members WHERE user_id = $1 ORDER BY is_default DESC, workspace_id`,
    [userId],
  );
  return rows.map((r) => r.workspace_id);
}

export async function workflowExists(db: Queryable, workspaceId: string, workflowId: string): Promise<boolean> {
  const rows = await db.query('SELECT 1 FROM workflows WHERE id = $1 AND workspace_id = $2', [workflowId, workspaceId]);
  return rows.length > 0;
}

export async function listRuns(
  db: Queryable,
  workspaceId: string,
  workflowId: string,
  options: { limit: number; status?: RunStatus | undefined; after?: CursorPosition | undefined },
): Promise<{ items: Run[]; nextCursor: string | null }> {
  const { sql, params } = listQuery({
    table: 'workflows_runs',
    columns: RUN_COLUMNS,
    tenantColumn: 'workspace_id',
    tenantId: workspaceId,
    filters: { workflow_id: workflowId, status: options.status },
    after: options.after,
    limit: options.limit,
  });
  const rows = await db.query<Run>(sql, params);
  return toPage(rows, options.limit, (r) => ({ createdAt: r.created_at, id: r.id }));
}

/** A timestamptz as JavaScript's toISOString writes it (what toIso makes of the store's other timestamps). */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Node executions in run order. */
const NODE_STATES = `SELECT coalesce(json_agg(json_build_object(
    'node_id', n.node_id, 'node_type', n.node_type, 'status', n.status, 'iteration', n.iteration,
    'started_at', ${iso('n.started_at')}, 'completed_at', ${iso('n.completed_at')},
    'duration_ms', round(extract(epoch FROM n.completed_at - n.started_at) * 1000)::bigint, 'error', n.error)
    ORDER BY n.started_at ASC NULLS LAST, n.iteration, n.id), '[]')
  FROM workflows_node_executions n WHERE n.run_id = r.id`;

/** One entry per section and metric (a section without metrics: one entry with a null key). */
const METRIC_ROWS = `SELECT coalesce(json_agg(json_build_object(
    'section_key', s.key, 'title', s.title, 'layout', s.layout, 'key', m.key, 'label', m.label, 'value', m.value,
    'unit', m.unit, 'variant', m.variant, 'emphasis', m.emphasis, 'reason', m.reason)
    ORDER BY s.position, s.key, m.position, m.key), '[]')
  FROM workflows_metric_sections s
  LEFT JOIN workflows_metric_values m ON m.run_id = s.run_id AND m.section_key = s.key
 WHERE s.run_id = r.id`;

const AUDIO = `SELECT coalesce(json_agg(a ORDER BY a.locale_code), '[]') FROM (
  SELECT locale_code, count(*)::int AS line_count, sum(duration_ms)::bigint AS total_duration_ms,
         round(avg(duration_ms), 2)::float8 AS avg_duration_ms
    FROM workflows_audio_lines WHERE run_id = r.id GROUP BY locale_code
) a`;

/**
 * Outcomes per validator node: pass_rate = pass / (pass + fail) and avg_score over those decided
 * attempts; retries are counted but decide nothing. No decided attempt means unavailable.
 */
const VALIDATORS = `SELECT coalesce(json_agg(json_build_object(
    'node_id', node_id, 'kind', kind, 'label', label,
    'status', CASE WHEN decided THEN 'available' ELSE 'unavailable' END,
    'avg_score', CASE WHEN decided THEN avg_score END,
    'pass_rate', CASE WHEN decided THEN round(pass_count::numeric / (pass_count + fail_count), 4)::float8 END,
    'pass_count', pass_count, 'fail_count', fail_count, 'retry_count', retry_count,
    'reason', CASE WHEN decided THEN NULL
                   WHEN node_failed THEN 'The validator failed before producing any outcome'
                   ELSE 'No validator outcome has been recorded yet' END)
    ORDER BY position, node_id), '[]')
  FROM (
    SELECT v.node_id, v.kind, v.label, v.position,
           count(o.id) FILTER (WHERE o.outcome = 'pass')::int AS pass_count,
           count(o.id) FILTER (WHERE o.outcome = 'fail')::int AS fail_count,
           count(o.id) FILTER (WHERE o.outcome = 'retry')::int AS retry_count,
           count(o.id) FILTER (WHERE o.outcome IN ('pass', 'fail')) > 0 AS decided,
           round(avg(o.score) FILTER (WHERE o.outcome IN ('pass', 'fail'))::numeric, 4)::float8 AS avg_score,
           EXISTS (SELECT 1 FROM workflows_node_executions n
                    WHERE n.run_id = v.run_id AND n.node_id = v.node_id AND n.status = 'failed') AS node_failed
      FROM workflows_run_validators v
      LEFT JOIN workflows_validator_outcomes o ON o.run_id = v.run_id AND o.node_id = v.node_id
     WHERE v.run_id = r.id
     GROUP BY v.run_id, v.node_id, v.kind, v.label, v.position
  ) agg`;

/**
 * $1 workflow, $2 run, $3 workspace. One statement: the workflow and its run are matched with the
 * workspace in the join, and every child read is keyed by that run's id, so nothing of another
 * workspace is ever read (a foreign run leaves r NULL and every child list empty).
 */
export const RUN_OVERVIEW_SQL = `SELECT w.name AS workflow_name, r.id, r.status, r.created_at, r.started_at,
       r.completed_at, r.has_export, r.error, r.definition,
       (${NODE_STATES}) AS node_states,
       (${METRIC_ROWS}) AS metric_rows,
       (${AUDIO}) AS audio,
       (${VALIDATORS}) AS validators
  FROM workflows w
  LEFT JOIN workflows_runs r ON r.id = $2 AND r.workflow_id = w.id AND r.workspace_id = w.workspace_id
 WHERE w.id = $1 AND w.workspace_id = $3`;

type OverviewRow = Run & {
  workflow_name: string;
  definition: RunOverview['workflow_snapshot']['definition'];
  node_states: RunOverview['workflow_snapshot']['node_states'];
  metric_rows: MetricRow[];
  audio: RunOverview['audio_by_language'];
  validators: RunOverview['validators'];
};

/** One section and one of its metrics (`key` null: a section without metrics), in display order. */
export interface MetricRow {
  section_key: string;
  title: string;
  layout: MetricSection['layout'];
  key: string | null;
  label: string;
  value: number | null;
  unit: string | null;
  variant: Metric['display']['variant'];
  emphasis: Metric['display']['emphasis'];
  reason: string | null;
}

/** What a run's overview is made of, as read; the API shapes the body (server/apis/workflows/overview.ts). */
export interface RunOverviewRows {
  workflowName: string;
  run: Run;
  definition: OverviewRow['definition'];
  nodeStates: OverviewRow['node_states'];
  metricRows: MetricRow[];
  audio: OverviewRow['audio'];
  validators: OverviewRow['validators'];
}

type Found = { rows: RunOverviewRows } | { missing: 'workflow' | 'run' };

/** A run's overview, in one query. */
export async function runOverview(
  db: Queryable,
  workspaceId: string,
  workflowId: string,
  runId: string,
): Promise<Found> {
  const [head] = await db.query<OverviewRow>(RUN_OVERVIEW_SQL, [workflowId, runId, workspaceId]);
  if (!head) return { missing: 'workflow' };
  if (head.id === null) return { missing: 'run' };
  const { workflow_name, definition, node_states, metric_rows, audio, validators, ...run } = head;
  return {
    rows: {
      workflowName: workflow_name,
      run,
      definition,
      nodeStates: node_states,
      metricRows: metric_rows,
      audio,
      validators,
    },
  };
}
