import { test } from 'vitest';
import { openTestStore } from '../helpers/store.ts';
import { RUN_SUMMARY_SQL, insertRun } from '../../server/store/telemetry.ts';
test('perf', async () => {
  const s = await openTestStore();
  const db = s.db;
  let t = performance.now();
  const id = '7e1e0000-0000-4000-8000-000000090001';
  await insertRun(db, { id, organizationId: 'org_big', schemaId: 'sch-big', status: 'completed', createdAt: new Date(), completedAt: new Date() });
  await db.query(`INSERT INTO telemetry_cells (run_id, strategy, tier, filled_by)
      SELECT $1, (ARRAY['transfer','extract','compute','skip'])[1 + i % 4], (ARRAY['tier1','tier2','tier3','unresolved'])[1 + i % 4], (ARRAY['capture','synthesis','none'])[1 + i % 3]
      FROM generate_series(1, 1000000) i`, [id]);
  console.log('insert', performance.now() - t);
  await db.query('VACUUM ANALYZE telemetry_cells');
  const variants: Record<string, string> = {
    current: RUN_SUMMARY_SQL,
    grouped: `SELECT sum(n) FILTER (WHERE filled_by='capture') a, sum(n) FILTER (WHERE strategy='transfer') b, sum(n) FILTER (WHERE tier='tier1') c, sum(n) FILTER (WHERE strategy='extract') d FROM (SELECT strategy, tier, filled_by, count(*) n FROM telemetry_cells WHERE run_id = $1 GROUP BY 1,2,3) g WHERE $2::text IS NOT NULL`,
    countonly: `SELECT count(*) FROM telemetry_cells WHERE run_id = $1 AND $2::text IS NOT NULL`,
  };
  for (const [name, sql] of Object.entries(variants)) {
    for (let k = 0; k < 3; k++) {
      t = performance.now();
      await db.query(sql, [id, 'org_big']);
      console.log(name, Math.round(performance.now() - t));
    }
  }
  await s.close();
}, 600_000);
