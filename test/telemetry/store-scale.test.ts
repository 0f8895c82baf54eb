import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RUN_SUMMARY_SQL, runSummary, SCHEMA_SUMMARY_SQL, schemaSummary } from '../../server/store/telemetry.ts';
import { openTestStore, type TestStore } from '../helpers/store.ts';

let store: TestStore;
const BIG = 'b1600000-0000-4000-8000-000000000001';
const BIG_CELLS = 60_000;

/**
 * Many organizations, schemas and runs, and one run far larger than the others: the plans below
 * must reach a run's cells through the covering index, not by scanning every cell.
 */
beforeAll(async () => {
  store = await openTestStore();
  const { db } = store;
  await db.query(`
    INSERT INTO telemetry_runs (id, organization_id, schema_id, status, created_at, completed_at)
    SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, 'org_' || (i % 40), 'sch_' || (i % 25),
           (ARRAY['pending', 'running', 'completed', 'failed'])[1 + i % 4],
           timestamptz '2026-01-01' + i * interval '1 minute',
           CASE WHEN i % 4 >= 2 THEN timestamptz '2026-01-01' + i * interval '1 minute' + interval '5 minutes' END
      FROM generate_series(1, 8000) i`);
  await db.query(`
    INSERT INTO telemetry_cells (run_id, strategy, tier, filled_by)
    SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(1 + i % 8000), 12, '0'))::uuid,
           (enum_range(NULL::telemetry_strategy))[1 + i % 4], (enum_range(NULL::telemetry_tier))[1 + i % 4],
           (enum_range(NULL::telemetry_filled_by))[1 + i % 3]
      FROM generate_series(1, 80000) i`);
  await db.query(
    `INSERT INTO telemetry_runs (id, organization_id, schema_id, status, created_at, completed_at)
                  VALUES ($1, 'org_big', 'sch_big', 'completed', now(), now())`,
    [BIG],
  );
  // 60k cells: tier/strategy by i % 4 and filler by i % 5 (capture 0,1,2 · synthesis 3 · none 4)
  await db.query(
    `INSERT INTO telemetry_cells (run_id, strategy, tier, filled_by)
     SELECT $1, (enum_range(NULL::telemetry_strategy))[1 + i % 4], (enum_range(NULL::telemetry_tier))[1 + i % 4],
            (ARRAY['capture', 'capture', 'capture', 'synthesis', 'none'])[1 + i % 5]::telemetry_filled_by
       FROM generate_series(1, ${BIG_CELLS}) i`,
    [BIG],
  );
  // one statement each: VACUUM refuses to run inside the implicit transaction of a multi-statement exec
  await db.query('VACUUM ANALYZE telemetry_runs');
  await db.query('VACUUM ANALYZE telemetry_cells');
});
afterAll(() => store.close());

async function plan(sql: string, params: string[]): Promise<string> {
  const rows = await store.db.query<Record<string, string>>(`EXPLAIN ${sql}`, params);
  return rows.map((r) => Object.values(r)[0]).join('\n');
}

describe('telemetry store at scale', () => {
  test('a run summary reads only that run cells, from the covering index alone', async () => {
    const text = await plan(RUN_SUMMARY_SQL, [BIG, 'org_big']);
    expect(text).toMatch(/Index Only Scan using telemetry_cells_run_covering/);
    expect(text).not.toMatch(/Seq Scan/);
  });

  test('a schema summary finds the latest completed run through its partial index', async () => {
    const text = await plan(SCHEMA_SUMMARY_SQL, ['org_2', 'sch_2']);
    expect(text).toMatch(/telemetry_runs_org_schema_latest/);
    expect(text).toMatch(/Index Only Scan using telemetry_cells_run_covering/);
    expect(text).not.toMatch(/Seq Scan/);
  });

  test('the figures of a large run are exact counts of its cells', async () => {
    const summary = await runSummary(store.db, 'org_big', BIG);
    const quarter = BIG_CELLS / 4;
    expect(summary).toEqual({
      run_id: BIG,
      schema_id: 'sch_big',
      capture_hit_rate: 0.6,
      synthesize_rate: 0.2,
      strategy_distribution: { transfer: quarter, extract: quarter, compute: quarter, skip: quarter },
      tier_funnel: { tier1: quarter, tier2: quarter, tier3: quarter, unresolved: quarter },
    });
  });

  test('the latest completed run is picked among thousands of runs of many organizations', async () => {
    // org_2 and sch_2 share the runs with i ≡ 2 (mod 200), all completed (i % 4 = 2); the last is i = 7802
    const summary = await schemaSummary(store.db, 'org_2', 'sch_2');
    expect(summary?.run_id).toBe(`00000000-0000-4000-8000-${(7802).toString(16).padStart(12, '0')}`);
  });
});
