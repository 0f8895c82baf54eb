import type { Queryable } from '../db.ts';
import { insertKey } from '../keys.ts';
import type { SeededRun, SeededTenant } from './seeded.ts';

/** Demo keys are public by design: they only open the demo dataset. */
export const SAMPLES_DEMO = [
  { project: 'ccextractor', apiKey: 'smp_demo_ccextractor_6b1f0c2e9a', firstRun: 101 },
  { project: 'sample-lab', apiKey: 'smp_demo_samplelab_3d8e47a1c5', firstRun: 201 },
] as const;

type Outcome = 'pass' | 'fail_rc' | 'fail_diff' | 'missing' | 'skipped' | 'matched_null';

/** Run plans: status, then one outcome per sample. Figures are checked by test/samples. */
const RUNS: Array<{ status: 'queued' | 'running' | 'completed' | 'canceled'; outcomes: Outcome[] }> = [
  { status: 'completed', outcomes: ['pass', 'pass', 'pass', 'fail_diff', 'missing', 'skipped', 'fail_rc', 'pass'] },
  { status: 'completed', outcomes: ['pass', 'pass', 'pass', 'pass'] },
  { status: 'canceled', outcomes: ['pass', 'fail_diff', 'skipped', 'skipped'] },
  { status: 'running', outcomes: ['pass', 'missing'] },
  { status: 'queued', outcomes: [] },
];

const BASE = Date.parse('2026-03-10T08:00:00.000Z');

export async function seedSamplesDemo(db: Queryable): Promise<SeededTenant[]> {
  const tenants: SeededTenant[] = [];
  for (const [t, tenant] of SAMPLES_DEMO.entries()) {
    await insertKey(
      db,
      { api: 'samples', tenantId: tenant.project, subject: `demo:${tenant.project}` },
      tenant.apiKey,
      'demo',
    );
    const runs: SeededRun[] = [];
    for (const [i, plan] of RUNS.entries()) {
      const id = tenant.firstRun + i;
      const created = new Date(BASE + (t * 10 + i) * 3_600_000);
      const started = plan.status === 'queued' ? null : new Date(created.getTime() + 60_000);
      const done = plan.status === 'completed' || plan.status === 'canceled';
      const completed = done && started ? new Date(started.getTime() + 900_000 + i * 1000) : null;
      const inserted = await db.query(
        `INSERT INTO samples_runs (id, project_id, status, triggered_by, created_at, started_at, completed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING RETURNING id`,
        [id, tenant.project, plan.status, i % 2 ? 'schedule' : 'github:push', created, started, completed],
      );
      runs.push({ id, status: plan.status });
      if (inserted.length === 0) continue;
      for (const [s, outcome] of plan.outcomes.entries()) {
        const [result] = await db.query<{ id: number }>(
          `INSERT INTO samples_test_results (run_id, regression_test_id, exit_code, expected_rc, runtime_ms, skipped)
           VALUES ($1, $2, $3, 0, $4, $5) RETURNING id`,
          [id, 1000 + s, outcome === 'fail_rc' ? 10 : 0, 120 + s * 7, outcome === 'skipped'],
        );
        if (!result || outcome === 'skipped') continue;
        const got = outcome === 'fail_diff' ? 'a1b2c3' : null;
        const files: Array<[number, number, number, string, string | null]> =
          outcome === 'missing' ? [[-1, -1, -1, '', 'error']] : [[id, 1000 + s, 5000 + s, 'e3b0c442', got]];
        for (const [testId, regId, outputId, expected, gotValue] of files) {
          await db.query(
            `INSERT INTO samples_result_files (run_id, test_result_id, test_id, regression_test_id, regression_test_output_id, expected, got)
             VALUES ($1, $2, $3, $4, $5, $6, $7)`,
            [id, result.id, testId, regId, outputId, expected, gotValue],
          );
        }
      }
    }
    tenants.push({ tenant: tenant.project, apiKey: tenant.apiKey, runs });
  }
  // Identity columns do not see explicit ids; keep new runs clear of the demo's.
  await db.query(
    `SELECT setval(pg_get_serial_sequence('samples_runs', 'id'), GREATEST(1000, (SELECT max(id) FROM samples_runs)))`,
  );
  return tenants;
}
