import type { Queryable } from '../db.ts';

const STATUSES = "ARRAY['succeeded', 'succeeded', 'succeeded', 'failed', 'canceled', 'running', 'pending']";

/** `runs` taxonomy runs for a tenant, in every status (one row per run: taxonomy has no child rows). */
export async function bulkTaxonomy(db: Queryable, tenantId: string, runs: number): Promise<number> {
  const [{ offset } = { offset: 0 }] = await db.query<{ offset: number }>(
    "SELECT count(*)::int AS offset FROM taxonomy_runs WHERE tenant_id = $1 AND field_id LIKE 'bench-%'",
    [tenantId],
  );
  const inserted = await db.query(
    `INSERT INTO taxonomy_runs (id, tenant_id, field_id, source_id, source_type, status, record_count, embedding_count,
                                cluster_count, node_count, params, started_at, finished_at, error, error_code,
                                created_at, updated_at)
     SELECT md5($1 || ':taxonomy:' || n)::uuid, $1, 'bench-field-' || (n % 50), CASE WHEN n % 10 = 0 THEN '' ELSE 'src_' || (n % 7) END,
            'csv', s.status, n % 5000, n % 5000, n % 40, n % 120, jsonb_build_object('k', 12),
            CASE WHEN s.status <> 'pending' THEN timestamp '2025-01-01' + n * interval '1 minute' END,
            CASE WHEN s.status IN ('succeeded', 'failed', 'canceled') THEN timestamp '2025-01-01' + n * interval '1 minute' + interval '3 minutes' END,
            CASE WHEN s.status = 'failed' THEN 'Not enough records to cluster.' END,
            CASE WHEN s.status = 'failed' THEN 'insufficient_data' END,
            timestamp '2025-01-01' + n * interval '1 minute', timestamp '2025-01-01' + n * interval '1 minute'
       FROM generate_series($3::int + 1, $3::int + $2::int) n
       CROSS JOIN LATERAL (SELECT (${STATUSES})[1 + n % 7] AS status) s
     RETURNING id`,
    [tenantId, runs, offset],
  );
  return inserted.length;
}
