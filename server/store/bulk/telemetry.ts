import type { Queryable } from '../db.ts';
import { analyzeParents } from './analyze.ts';

/**
 * `runs` finished runs of `perRun` cells each for an organization. Ids are md5-derived from the
 * position, so the same call on the same store writes the same rows; cells come from PostgreSQL's
 * generate_series in one statement per batch.
 */
export async function bulkTelemetry(db: Queryable, orgId: string, runs: number, perRun = 200): Promise<number> {
  const [{ offset } = { offset: 0 }] = await db.query<{ offset: number }>(
    "SELECT count(*)::int AS offset FROM telemetry_runs WHERE organization_id = $1 AND schema_id LIKE 'bench-%'",
    [orgId],
  );
  const inserted = await db.query<{ id: string }>(
    `INSERT INTO telemetry_runs (id, organization_id, schema_id, status, created_at, completed_at)
     SELECT md5($1 || ':telemetry:' || n)::uuid, $1, 'bench-schema-' || (n % 20),
            CASE WHEN n % 25 = 0 THEN 'failed' ELSE 'completed' END,
            timestamp '2025-01-01' + n * interval '1 minute',
            timestamp '2025-01-01' + n * interval '1 minute' + interval '5 minutes'
       FROM generate_series($3::int + 1, $3::int + $2::int) n
     RETURNING id`,
    [orgId, runs, offset],
  );
  await analyzeParents(db, 'telemetry_runs');
  await db.query(
    `INSERT INTO telemetry_cells (run_id, strategy, tier, filled_by)
     SELECT r.id,
            (ARRAY['transfer', 'extract', 'compute', 'skip'])[1 + c % 4]::telemetry_strategy,
            (ARRAY['tier1', 'tier2', 'tier3', 'unresolved'])[1 + (c * 7) % 4]::telemetry_tier,
            (ARRAY['capture', 'capture', 'synthesis', 'none'])[1 + (c * 5) % 4]::telemetry_filled_by
       FROM unnest($1::uuid[]) r(id) CROSS JOIN generate_series(1, $2::int) c`,
    [inserted.map((r) => r.id), perRun],
  );
  return inserted.length * perRun;
}
