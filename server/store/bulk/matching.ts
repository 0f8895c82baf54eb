import type { Queryable } from '../db.ts';
import { analyzeParents } from './analyze.ts';

/** `runs` completed runs of `perRun` results each, on the workspace's first config. Deterministic. */
export async function bulkMatching(db: Queryable, workspaceId: string, runs: number, perRun = 200): Promise<number> {
  const [config] = await db.query<{ id: string }>(
    'SELECT id FROM matching_configs WHERE workspace_id = $1 ORDER BY id LIMIT 1',
    [workspaceId],
  );
  if (!config) throw new Error(`workspace ${workspaceId} has no matching config: seed the demo data first`);
  const [{ offset } = { offset: 0 }] = await db.query<{ offset: number }>(
    "SELECT count(*)::int AS offset FROM matching_runs WHERE workspace_id = $1 AND triggered_by = 'bench'",
    [workspaceId],
  );
  const inserted = await db.query<{ id: string }>(
    `INSERT INTO matching_runs (id, workspace_id, matching_config_id, status, triggered_by, rows_processed,
                                started_at, completed_at, created_at)
     SELECT md5($1 || ':matching:' || n)::uuid, $1, $2::uuid, 'completed', 'bench', $4::int,
            timestamp '2025-01-01' + n * interval '1 minute' + interval '1 second',
            timestamp '2025-01-01' + n * interval '1 minute' + interval '40 seconds',
            timestamp '2025-01-01' + n * interval '1 minute'
       FROM generate_series($3::int + 1, $3::int + $5::int) n
     RETURNING id`,
    [workspaceId, config.id, offset, perRun, runs],
  );
  await analyzeParents(db, 'matching_runs');
  await db.query(
    `INSERT INTO matching_results (id, run_id, document_id, document_filename, matched_reference_row_id, confidence, status, evidence)
     SELECT md5(r.id::text || ':' || c)::uuid, r.id, 'doc_' || c, 'document-' || c || '.pdf', 'ref_row_' || c,
            ((c * 37) % 101) / 100.0, 'pending',
            jsonb_build_object('amount', jsonb_build_object('strategy', 'numeric_range', 'score', ((c * 13) % 101) / 100.0))
       FROM unnest($1::uuid[]) r(id) CROSS JOIN generate_series(1, $2::int) c`,
    [inserted.map((r) => r.id), perRun],
  );
  return inserted.length * perRun;
}
