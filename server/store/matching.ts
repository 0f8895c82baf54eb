import type { components } from '../../generated/matching.ts';
import type { Queryable } from './db.ts';
import { listQuery } from './list-query.ts';
import { type CursorPosition, toPage } from './pagination.ts';

/** Runs as the store returns them: the API adds the links (server/apis/matching/bodies.ts). */
export type RunDetailRow = Omit<components['schemas']['MatchingRunDetail'], 'links'>;
export type RunListRow = Omit<components['schemas']['MatchingRunListItem'], 'links'>;
type RunStatus = components['schemas']['MatchingRunStatus'];

/**
 * Matches of a run: its results strictly above its config's threshold ("a match above threshold")
 * that name a reference row (null means no row matched, so it is never a match). avg_confidence
 * reads "all matches" as these same results. The config is joined on the run's own workspace, so a
 * run can never be measured against another workspace's threshold.
 */
const MATCH_STATS = `CROSS JOIN LATERAL (
  SELECT count(x.id)::int AS matched, avg(x.confidence)::float8 AS mean
    FROM matching_configs c
    JOIN matching_results x ON x.run_id = r.id AND x.confidence > c.threshold
                             AND x.matched_reference_row_id IS NOT NULL
   WHERE c.workspace_id = r.workspace_id AND c.id = r.matching_config_id
) m`;

/** The run fields shared by the detail and the list; counters stay null while the run is queued. */
const RUN_COLUMNS = `r.id, r.matching_config_id, r.status, r.triggered_by, r.rows_processed,
  CASE WHEN r.status <> 'queued' THEN m.matched END AS rows_matched,
  CASE WHEN r.status <> 'queued' THEN m.mean END AS avg_confidence,
  r.started_at, r.completed_at, r.error, r.created_at`;

/** The top 50 results, confidence descending then id: the first 50 entries of the run's index. */
const TOP_RESULTS = `CROSS JOIN LATERAL (
  SELECT coalesce(json_agg(json_build_object(
           'id', t.id, 'document_id', t.document_id, 'document_filename', t.document_filename,
           'matched_reference_row_id', t.matched_reference_row_id, 'confidence', t.confidence::float8,
           'status', t.status, 'evidence', t.evidence) ORDER BY t.confidence DESC, t.id), '[]'::json) AS results
    FROM (SELECT * FROM matching_results x WHERE x.run_id = r.id ORDER BY x.confidence DESC, x.id LIMIT 50) t
) top`;

export async function runDetail(db: Queryable, workspaceId: string, runId: string): Promise<RunDetailRow | undefined> {
  const rows = await db.query<RunDetailRow>(
    `SELECT ${RUN_COLUMNS}, top.results
       FROM matching_runs r ${MATCH_STATS} ${TOP_RESULTS}
      WHERE r.id = $1 AND r.workspace_id = $2`,
    [runId, workspaceId],
  );
  return rows[0];
}

export async function listRuns(
  db: Queryable,
  workspaceId: string,
  options: {
    limit: number;
    status?: RunStatus | undefined;
    configId?: string | undefined;
    after?: CursorPosition | undefined;
  },
): Promise<{ items: RunListRow[]; nextCursor: string | null }> {
  // The lateral only exposes matched/mean, so listQuery's bare column names stay the run's.
  const { sql, params } = listQuery({
    table: `matching_runs r ${MATCH_STATS}`,
    columns: RUN_COLUMNS,
    tenantColumn: 'workspace_id',
    tenantId: workspaceId,
    filters: { status: options.status, matching_config_id: options.configId },
    after: options.after,
    idType: 'uuid',
    limit: options.limit,
  });
  const rows = await db.query<RunListRow>(sql, params);
  return toPage(rows, options.limit, (r) => ({ createdAt: r.created_at, id: r.id }));
}
