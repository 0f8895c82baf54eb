import type { components } from '../../generated/samples.ts';
import type { Queryable } from './db.ts';
import { listQuery } from './list-query.ts';
import { type CursorPosition, toPage } from './pagination.ts';

type RunSummary = components['schemas']['SamplesRunSummary'];
type RunListItem = components['schemas']['SamplesRunListItem'];
type RunStatus = components['schemas']['SamplesRunStatus'];

const DUMMY_FILE = `f.test_id = -1 AND f.regression_test_id = -1 AND f.regression_test_output_id = -1
  AND f.expected = '' AND f.got = 'error'`;

/** $1 run id, $2 project: every count from the run's rows, each file looked up by its result's index. */
export const RUN_SUMMARY_SQL = `SELECT run.id AS run_id,
            count(p.id)::int AS total_samples,
            count(*) FILTER (WHERE NOT p.skipped AND NOT p.errored AND NOT p.mismatched)::int AS pass_count,
            count(*) FILTER (WHERE NOT p.skipped AND (p.errored OR p.mismatched))::int AS fail_count,
            count(*) FILTER (WHERE p.skipped)::int AS skipped_count,
            count(*) FILTER (WHERE p.missing)::int AS missing_output_count,
            count(*) FILTER (WHERE NOT p.skipped AND p.errored)::int AS error_count,
            CASE WHEN run.started_at IS NOT NULL AND run.completed_at IS NOT NULL
                 THEN round(extract(epoch FROM run.completed_at - run.started_at) * 1000)::bigint END AS duration_ms,
            run.triggered_by,
            run.status IN ('completed', 'canceled') AS final
       FROM samples_runs run
       LEFT JOIN LATERAL (
         SELECT r.id, r.skipped,
                r.exit_code IS DISTINCT FROM r.expected_rc AS errored,
                coalesce(files.mismatched, false) AS mismatched,
                coalesce(files.missing, false) AS missing
           FROM samples_test_results r
           -- per result through its index: an EXISTS here is planned as a hash over every file row
           LEFT JOIN LATERAL (
             SELECT bool_or(f.got IS NOT NULL) AS mismatched, bool_or(${DUMMY_FILE}) AS missing
               FROM samples_result_files f
              WHERE f.test_result_id = r.id
           ) files ON true
          WHERE r.run_id = run.id
       ) p ON true
      WHERE run.id = $1 AND run.project_id = $2
      GROUP BY run.id`;

/**
 * A run's summary, computed from its test-result rows: a result fails when its exit code is not
 * the expected one or any of its files differs (got IS NOT NULL); never from the run's `failed`.
 */
export async function runSummary(
  db: Queryable,
  projectId: string,
  runId: number,
): Promise<{ summary: RunSummary; final: boolean } | undefined> {
  const rows = await db.query<RunSummary & { final: boolean }>(RUN_SUMMARY_SQL, [runId, projectId]);
  if (!rows[0]) return undefined;
  // `final` (completed or canceled: the run's rows no longer change) is not part of the body.
  const { final, ...summary } = rows[0];
  return { summary, final };
}

export async function listRuns(
  db: Queryable,
  projectId: string,
  options: { limit: number; status?: RunStatus | undefined; after?: CursorPosition | undefined },
): Promise<{ items: RunListItem[]; nextCursor: string | null }> {
  const { sql, params } = listQuery({
    table: 'samples_runs',
    columns: 'id AS run_id, status, created_at, completed_at, triggered_by, failed',
    tenantColumn: 'project_id',
    tenantId: projectId,
    filters: { status: options.status },
    after: options.after,
    idType: 'bigint',
    limit: options.limit,
  });
  const rows = await db.query<RunListItem>(sql, params);
  return toPage(rows, options.limit, (r) => ({ createdAt: r.created_at, id: String(r.run_id) }));
}
