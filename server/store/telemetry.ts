import type { components } from '../../generated/telemetry.ts';
import type { Queryable } from './db.ts';
import { listQuery } from './list-query.ts';
import { type CursorPosition, toPage } from './pagination.ts';

type RunSummary = components['schemas']['TelemetryRunSummary'];
type RunListItem = components['schemas']['TelemetryRunListItem'];
export type RunStatus = components['schemas']['TelemetryRunStatus'];
export type Strategy = keyof components['schemas']['TelemetryStrategyDistribution'];
export type Tier = keyof components['schemas']['TelemetryTierFunnel'];
export type FilledBy = 'capture' | 'synthesis' | 'none';

export interface Cell {
  strategy: Strategy;
  tier: Tier;
  filledBy: FilledBy;
}

/**
 * The summary of the one run `chosen` selects, counted from its cells. json_build_object keeps
 * the four keys of each counter present (0 when no cell has them) and in the spec's order.
 */
const summaryOf = (chosen: string): string => `
  WITH chosen AS (${chosen})
  SELECT chosen.id AS run_id, chosen.schema_id,
         COALESCE(c.capture::float8 / NULLIF(c.total, 0), 0) AS capture_hit_rate,
         COALESCE(c.synthesis::float8 / NULLIF(c.total, 0), 0) AS synthesize_rate,
         json_build_object('transfer', c.transfer, 'extract', c.extract, 'compute', c.compute, 'skip', c.skip)
           AS strategy_distribution,
         json_build_object('tier1', c.tier1, 'tier2', c.tier2, 'tier3', c.tier3, 'unresolved', c.unresolved)
           AS tier_funnel
    FROM chosen
   CROSS JOIN LATERAL (
     SELECT count(*)::int AS total,
            count(*) FILTER (WHERE filled_by = 'capture')::int AS capture,
            count(*) FILTER (WHERE filled_by = 'synthesis')::int AS synthesis,
            count(*) FILTER (WHERE strategy = 'transfer')::int AS transfer,
            count(*) FILTER (WHERE strategy = 'extract')::int AS extract,
            count(*) FILTER (WHERE strategy = 'compute')::int AS compute,
            count(*) FILTER (WHERE strategy = 'skip')::int AS skip,
            count(*) FILTER (WHERE tier = 'tier1')::int AS tier1,
            count(*) FILTER (WHERE tier = 'tier2')::int AS tier2,
            count(*) FILTER (WHERE tier = 'tier3')::int AS tier3,
            count(*) FILTER (WHERE tier = 'unresolved')::int AS unresolved
       FROM telemetry_cells
      WHERE run_id = chosen.id
   ) c`;

/** $1 run id, $2 organization. Only finished runs have telemetry: pending and running are absent. */
export const RUN_SUMMARY_SQL = summaryOf(
  `SELECT id, schema_id FROM telemetry_runs
    WHERE id = $1 AND organization_id = $2 AND status IN ('completed', 'failed')`,
);

/** $1 organization, $2 schema: its latest completed run (failed runs are never picked). */
export const SCHEMA_SUMMARY_SQL = summaryOf(
  `SELECT id, schema_id FROM telemetry_runs
    WHERE organization_id = $1 AND schema_id = $2 AND status = 'completed'
    ORDER BY completed_at DESC, id DESC
    LIMIT 1`,
);

export async function runSummary(
  db: Queryable,
  organizationId: string,
  runId: string,
): Promise<RunSummary | undefined> {
  const rows = await db.query<RunSummary>(RUN_SUMMARY_SQL, [runId, organizationId]);
  return rows[0];
}

export async function schemaSummary(
  db: Queryable,
  organizationId: string,
  schemaId: string,
): Promise<RunSummary | undefined> {
  const rows = await db.query<RunSummary>(SCHEMA_SUMMARY_SQL, [organizationId, schemaId]);
  return rows[0];
}

export async function listRuns(
  db: Queryable,
  organizationId: string,
  options: {
    limit: number;
    status?: RunStatus | undefined;
    schemaId?: string | undefined;
    after?: CursorPosition | undefined;
  },
): Promise<{ items: RunListItem[]; nextCursor: string | null }> {
  const { sql, params } = listQuery({
    table: 'telemetry_runs',
    columns: 'id AS run_id, schema_id, status, created_at, completed_at',
    tenantColumn: 'organization_id',
    tenantId: organizationId,
    filters: { status: options.status, schema_id: options.schemaId },
    after: options.after,
    idType: 'uuid',
    limit: options.limit,
  });
  const rows = await db.query<RunListItem>(sql, params);
  return toPage(rows, options.limit, (r) => ({ createdAt: r.created_at, id: r.run_id }));
}

export interface NewRun {
  id: string;
  organizationId: string;
  schemaId: string;
  status: RunStatus;
  createdAt: Date;
  completedAt: Date | null;
}

/** Inserts a run unless its id exists; true when it was written (so its cells are still to add). */
export async function insertRun(db: Queryable, run: NewRun): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO telemetry_runs (id, organization_id, schema_id, status, created_at, completed_at)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING RETURNING id`,
    [run.id, run.organizationId, run.schemaId, run.status, run.createdAt, run.completedAt],
  );
  return rows.length > 0;
}

const BATCH = 50_000;

/**
 * Adds cells to a run in batches: one statement per batch, three arrays unnested side by side.
 * The arrays travel as text[] (PGlite cannot serialize arrays of a custom enum) and are cast per row.
 */
export async function insertCells(db: Queryable, runId: string, cells: readonly Cell[]): Promise<void> {
  for (let start = 0; start < cells.length; start += BATCH) {
    const batch = cells.slice(start, start + BATCH);
    await db.query(
      `INSERT INTO telemetry_cells (run_id, strategy, tier, filled_by)
       SELECT $1, s::telemetry_strategy, t::telemetry_tier, f::telemetry_filled_by
         FROM unnest($2::text[], $3::text[], $4::text[]) AS u(s, t, f)`,
      [runId, batch.map((c) => c.strategy), batch.map((c) => c.tier), batch.map((c) => c.filledBy)],
    );
  }
}
