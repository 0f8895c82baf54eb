import type { ApiName } from '../../server/core/types.ts';
import type { Db, Queryable, SqlParam } from '../../server/store/db.ts';
import { runDetail } from '../../server/store/matching.ts';
import { runSummary as samplesSummary } from '../../server/store/samples.ts';
import { getRun } from '../../server/store/taxonomy.ts';
import { runSummary as telemetrySummary } from '../../server/store/telemetry.ts';
import { runOverview } from '../../server/store/workflows.ts';

/** A run of the tenant with the most child rows, as the seed operation's arguments. */
async function largestRun(db: Db, api: ApiName, tenant: string): Promise<Record<string, string>> {
  const q = {
    telemetry: `SELECT r.id::text AS id FROM telemetry_runs r WHERE r.organization_id = $1 AND r.status = 'completed'
                 ORDER BY (SELECT count(*) FROM telemetry_cells c WHERE c.run_id = r.id) DESC, r.created_at DESC LIMIT 1`,
    workflows: `SELECT r.id::text AS id, r.workflow_id::text AS workflow FROM workflows_runs r WHERE r.workspace_id = $1 AND r.status = 'completed'
                 ORDER BY (SELECT count(*) FROM workflows_validator_outcomes o WHERE o.run_id = r.id) DESC, r.created_at DESC LIMIT 1`,
    matching: `SELECT r.id::text AS id FROM matching_runs r WHERE r.workspace_id = $1 AND r.status = 'completed'
                ORDER BY r.rows_processed DESC NULLS LAST, r.created_at DESC LIMIT 1`,
    taxonomy: `SELECT id::text AS id FROM taxonomy_runs WHERE tenant_id = $1 AND status = 'succeeded' ORDER BY created_at DESC LIMIT 1`,
    samples: `SELECT r.id::text AS id FROM samples_runs r WHERE r.project_id = $1 AND r.status = 'completed'
               ORDER BY (SELECT count(*) FROM samples_test_results t WHERE t.run_id = r.id) DESC, r.created_at DESC LIMIT 1`,
  }[api];
  const [row] = await db.query<Record<string, string>>(q, [tenant]);
  if (!row) throw new Error(`no completed run for ${api}`);
  return row;
}

/** The seed operation's path for the largest run. */
export async function largestRunPath(db: Db, api: ApiName, tenant: string): Promise<string> {
  const run = await largestRun(db, api, tenant);
  return {
    telemetry: `/v1/telemetry/runs/${run.id}/summary`,
    workflows: `/api/v1/workflows/${run.workflow}/runs/${run.id}/overview`,
    matching: `/v1/matching/runs/${run.id}`,
    taxonomy: `/v1/taxonomy/runs/${run.id}?tenant_id=${tenant}`,
    samples: `/api/v1/runs/${run.id}/summary`,
  }[api];
}

/**
 * The plans of every statement the seed operation's store function runs for the largest run
 * (EXPLAIN ANALYZE, the statements recorded as the handler sends them).
 */
export async function seedPlans(db: Db, api: ApiName, tenant: string): Promise<Array<{ sql: string; plan: string }>> {
  const run = await largestRun(db, api, tenant);
  const seen: Array<{ sql: string; params: readonly SqlParam[] }> = [];
  const recorder: Queryable = {
    query: (sql, params = []) => {
      seen.push({ sql, params });
      return db.query(sql, params);
    },
    exec: (sql) => db.exec(sql),
  };
  const id = run.id ?? '';
  if (api === 'telemetry') await telemetrySummary(recorder, tenant, id);
  if (api === 'workflows') await runOverview(recorder, tenant, run.workflow ?? '', id);
  if (api === 'matching') await runDetail(recorder, tenant, id);
  if (api === 'taxonomy') await getRun(recorder, tenant, tenant, id);
  if (api === 'samples') await samplesSummary(recorder, tenant, Number(id));
  const plans: Array<{ sql: string; plan: string }> = [];
  for (const { sql, params } of seen) {
    const rows = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, COSTS OFF) ${sql}`, params);
    plans.push({ sql: sql.replace(/\s+/g, ' ').trim(), plan: rows.map((r) => r['QUERY PLAN']).join('\n') });
  }
  return plans;
}
