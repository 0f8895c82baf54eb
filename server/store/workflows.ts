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

export const APP_URL = 'https://app.onepin.ai';

const RUN_COLUMNS = 'id, status, created_at, started_at, completed_at, has_export, error';
const FINAL: RunStatus[] = ['completed', 'failed', 'cancelled'];

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

type Found = { overview: RunOverview } | { missing: 'workflow' | 'run' };

/**
 * A run's overview. Every child read joins the run again with the workspace in its WHERE, so no
 * query returns a row of another workspace even on its own.
 */
export async function runOverview(
  db: Queryable,
  workspaceId: string,
  workflowId: string,
  runId: string,
): Promise<Found> {
  const [head] = await db.query<
    Run & { workflow_name: string; definition: RunOverview['workflow_snapshot']['definition'] }
  >(
    `SELECT w.name AS workflow_name, r.id, r.status, r.created_at, r.started_at, r.completed_at, r.has_export, r.error,
            r.definition
       FROM workflows w
       LEFT JOIN workflows_runs r ON r.id = $2 AND r.workflow_id = w.id AND r.workspace_id = w.workspace_id
      WHERE w.id = $1 AND w.workspace_id = $3`,
    [workflowId, runId, workspaceId],
  );
  if (!head) return { missing: 'workflow' };
  if (head.id === null) return { missing: 'run' };
  const scope = [runId, workspaceId];
  const [nodeStates, sections, audio, validators] = await Promise.all([
    db.query<RunOverview['workflow_snapshot']['node_states'][number]>(
      `SELECT n.node_id, n.node_type, n.status, n.iteration, n.started_at, n.completed_at,
              round(extract(epoch FROM n.completed_at - n.started_at) * 1000)::bigint AS duration_ms, n.error
         FROM workflows_node_executions n JOIN workflows_runs r ON r.id = n.run_id
        WHERE n.run_id = $1 AND r.workspace_id = $2
        ORDER BY n.started_at ASC NULLS LAST, n.iteration, n.id`,
      scope,
    ),
    metricSections(db, runId, workspaceId),
    db.query<RunOverview['audio_by_language'][number]>(
      `SELECT a.locale_code, count(*)::int AS line_count, sum(a.duration_ms)::bigint AS total_duration_ms,
              round(avg(a.duration_ms), 2)::float8 AS avg_duration_ms
         FROM workflows_audio_lines a JOIN workflows_runs r ON r.id = a.run_id
        WHERE a.run_id = $1 AND r.workspace_id = $2
        GROUP BY a.locale_code ORDER BY a.locale_code`,
      scope,
    ),
    validatorSummaries(db, runId, workspaceId),
  ]);
  const { workflow_name, definition, ...run } = head;
  const drilldown = validators.some((v) => v.status === 'available');
  const liveTrace = nodeStates.some((n) => n.started_at !== null);
  const base = `${APP_URL}/workflows/${workflowId}/runs/${runId}`;
  return {
    overview: {
      workflow: { id: workflowId, name: workflow_name },
      run,
      // jsonb keeps keys in its own order; answer in the spec's.
      workflow_snapshot: {
        definition: { version: definition.version, steps: definition.steps },
        node_states: nodeStates,
      },
      metric_sections: sections,
      audio_by_language: audio,
      validators,
      capabilities: {
        validator_drilldown: drilldown,
        live_trace_timing: liveTrace,
        // Aggregates of a run in a final status no longer move: they are as persisted.
        persisted_aggregates: FINAL.includes(run.status),
      },
      future_links: {
        validator_drilldown: drilldown ? `${base}/validators` : null,
        live_trace: liveTrace ? `${base}/live-trace` : null,
      },
    },
  };
}

/**
 * Outcomes per validator node: pass_rate = pass / (pass + fail) and avg_score over those decided
 * attempts; retries are counted but decide nothing. No decided attempt means unavailable.
 */
function validatorSummaries(db: Queryable, runId: string, workspaceId: string) {
  return db.query<Schemas['WorkflowsValidatorSummary']>(
    `SELECT node_id, kind, label,
            CASE WHEN pass_count + fail_count > 0 THEN 'available' ELSE 'unavailable' END AS status,
            CASE WHEN pass_count + fail_count > 0 THEN avg_score END AS avg_score,
            CASE WHEN pass_count + fail_count > 0
                 THEN round(pass_count::numeric / (pass_count + fail_count), 4)::float8 END AS pass_rate,
            pass_count, fail_count, retry_count,
            CASE WHEN pass_count + fail_count > 0 THEN NULL
                 WHEN node_failed THEN 'The validator failed before producing any outcome'
                 ELSE 'No validator outcome has been recorded yet' END AS reason
       FROM (
         SELECT v.node_id, v.kind, v.label, v.position,
                count(o.id) FILTER (WHERE o.outcome = 'pass')::int AS pass_count,
                count(o.id) FILTER (WHERE o.outcome = 'fail')::int AS fail_count,
                count(o.id) FILTER (WHERE o.outcome = 'retry')::int AS retry_count,
                round(avg(o.score) FILTER (WHERE o.outcome IN ('pass', 'fail'))::numeric, 4)::float8 AS avg_score,
                EXISTS (SELECT 1 FROM workflows_node_executions n
                         WHERE n.run_id = v.run_id AND n.node_id = v.node_id AND n.status = 'failed') AS node_failed
           FROM workflows_run_validators v
           JOIN workflows_runs r ON r.id = v.run_id
           LEFT JOIN workflows_validator_outcomes o ON o.run_id = v.run_id AND o.node_id = v.node_id
          WHERE v.run_id = $1 AND r.workspace_id = $2
          GROUP BY v.run_id, v.node_id, v.kind, v.label, v.position
       ) agg
      ORDER BY position, node_id`,
    [runId, workspaceId],
  );
}

const formatter = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

async function metricSections(db: Queryable, runId: string, workspaceId: string): Promise<MetricSection[]> {
  const rows = await db.query<{
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
  }>(
    `SELECT s.key AS section_key, s.title, s.layout, m.key, m.label, m.value, m.unit, m.variant, m.emphasis, m.reason
       FROM workflows_metric_sections s
       JOIN workflows_runs r ON r.id = s.run_id
       LEFT JOIN workflows_metric_values m ON m.run_id = s.run_id AND m.section_key = s.key
      WHERE s.run_id = $1 AND r.workspace_id = $2
      ORDER BY s.position, s.key, m.position, m.key`,
    [runId, workspaceId],
  );
  const sections = new Map<string, MetricSection>();
  for (const row of rows) {
    let section = sections.get(row.section_key);
    if (!section) {
      section = { key: row.section_key, layout: row.layout, title: row.title, metrics: [] };
      sections.set(row.section_key, section);
    }
    if (row.key === null) continue;
    const available = row.value !== null;
    section.metrics.push({
      key: row.key,
      label: row.label,
      formatted_value: available ? formatter.format(row.value as number) : null,
      status: available ? 'available' : 'unavailable',
      display: { variant: row.variant, emphasis: row.emphasis },
      value: row.value,
      unit: row.unit,
      reason: available ? null : row.reason,
    });
  }
  return [...sections.values()];
}
