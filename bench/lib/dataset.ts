import { API_NAMES as GENERATED_API_NAMES } from '../../generated/apis.ts';
import { registry } from '../../server/apis/registry.ts';
import type { ApiName, DemoTenant } from '../../server/core/types.ts';
import { BULK_SEEDERS } from '../../server/store/bulk/index.ts';
import type { Db } from '../../server/store/db.ts';

export const API_NAMES: ApiName[] = [...GENERATED_API_NAMES];

/** One API's load targets: its seed operation on a terminal demo run and its list's first page. */
export interface Scenario {
  api: ApiName;
  headers: Record<string, string>;
  seedPath: string;
  listPath: string;
  tenant: string;
}

const TERMINAL = new Set(['completed', 'succeeded']);

export function scenarios(demo: Record<string, DemoTenant[]>): Scenario[] {
  return API_NAMES.map((api) => {
    const tenant = demo[api]?.[0];
    const run = tenant?.runs.find((r) => TERMINAL.has(r.status));
    if (!tenant || !run) throw new Error(`no terminal demo run for ${api}`);
    const seedPath = run.path;
    const listPath = {
      telemetry: '/v1/telemetry/runs?limit=20',
      workflows: `${seedPath.slice(0, seedPath.indexOf('/runs/'))}/runs?limit=20`,
      matching: '/v1/matching/runs?limit=20',
      taxonomy: `/v1/taxonomy/runs?tenant_id=${tenant.tenant}&limit=20`,
      samples: '/api/v1/runs?limit=20',
    }[api];
    return {
      api,
      headers: { authorization: `Bearer ${tenant.apiKey}`, ...(tenant.headers ?? {}) },
      seedPath,
      listPath,
      tenant: tenant.tenant,
    };
  });
}

export async function seedDemo(db: Db): Promise<Record<string, DemoTenant[]>> {
  const demo: Record<string, DemoTenant[]> = {};
  for (const api of registry) demo[api.name] = await api.seedDemo(db);
  return demo;
}

/**
 * Adds bulk runs to the first demo tenant of `api` until it holds about `rows` underlying rows
 * (child rows at `perRun` per run; taxonomy has no child rows, so its runs are its rows). Returns
 * the rows written.
 */
export async function bulk(db: Db, api: ApiName, tenant: string, runs: number, perRun: number): Promise<number> {
  const seed = BULK_SEEDERS[api];
  const batch = api === 'taxonomy' ? 50_000 : Math.max(1, Math.floor(50_000 / perRun));
  let rows = 0;
  for (let done = 0; done < runs; done += batch) {
    const n = Math.min(batch, runs - done);
    rows += await db.transaction((tx) => seed(tx, tenant, n, perRun));
  }
  return rows;
}

/** Paths of terminal runs of the tenant (newest first), for reads that each hit a cold cache. */
export async function terminalPaths(db: Db, api: ApiName, tenant: string, limit: number): Promise<string[]> {
  const module = registry.find((m) => m.name === api);
  if (!module) throw new Error(`no API ${api}`);
  return module.finalRunPaths(db, tenant, limit);
}

/** Underlying rows of an API's tenant: its runs' child rows (taxonomy: its runs). */
export async function countRows(db: Db, api: ApiName, tenant: string): Promise<number> {
  const q = {
    telemetry: `SELECT count(*)::int AS n FROM telemetry_cells c JOIN telemetry_runs r ON r.id = c.run_id WHERE r.organization_id = $1`,
    workflows: `SELECT (SELECT count(*) FROM workflows_node_executions n JOIN workflows_runs r ON r.id = n.run_id WHERE r.workspace_id = $1)
                     + (SELECT count(*) FROM workflows_validator_outcomes o JOIN workflows_runs r ON r.id = o.run_id WHERE r.workspace_id = $1)
                     + (SELECT count(*) FROM workflows_audio_lines a JOIN workflows_runs r ON r.id = a.run_id WHERE r.workspace_id = $1)
                     + (SELECT count(*) FROM workflows_metric_values m JOIN workflows_runs r ON r.id = m.run_id WHERE r.workspace_id = $1) AS n`,
    matching: `SELECT count(*)::int AS n FROM matching_results x JOIN matching_runs r ON r.id = x.run_id WHERE r.workspace_id = $1`,
    taxonomy: 'SELECT count(*)::int AS n FROM taxonomy_runs WHERE tenant_id = $1',
    samples: `SELECT count(*)::int AS n FROM samples_test_results t JOIN samples_runs r ON r.id = t.run_id WHERE r.project_id = $1`,
  }[api];
  const [row] = await db.query<{ n: number }>(q, [tenant]);
  return Number(row?.n ?? 0);
}
