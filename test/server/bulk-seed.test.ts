import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseSeedArgs, seedBulk } from '../../scripts/seed-bulk.ts';
import { registry } from '../../server/apis/registry.ts';
import type { ApiName } from '../../server/core/types.ts';
import { BULK_SEEDERS } from '../../server/store/bulk/index.ts';
import { storeFinalBodies } from '../../server/store-final-bodies.ts';
import { GET_OPERATION, TERMINAL_STATUSES, tenantHeaders } from '../helpers/apis.ts';
import { bearer, startTestServer, TEST_JWT_SECRET, type TestServer } from '../helpers/server.ts';
import { specValidator } from '../helpers/spec.ts';
import { storedRows } from '../helpers/stored-bodies.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  for (const [api, seed] of Object.entries(BULK_SEEDERS)) {
    const tenant = server.demo[api]?.[0]?.tenant ?? '';
    await server.store.db.transaction((tx) => seed(tx, tenant, 30, 60));
    // a second batch continues after the first instead of colliding with it
    await server.store.db.transaction((tx) => seed(tx, tenant, 30, 60));
  }
});
afterAll(() => server.close());

const auth = (api: string) => bearer(server.demo[api]?.[0]?.apiKey ?? '');

describe('bulk benchmark data (npm run seed)', () => {
  test('each batch leaves the tables its next rows point at with statistics that count every row', async () => {
    // Stale statistics (a store analyzed while small) planned every foreign-key check of the next
    // batch as a scan of the grown parent: seeding a million rows went quadratic.
    const parents = [
      'telemetry_runs',
      'matching_runs',
      'samples_runs',
      'samples_test_results',
      'workflows_runs',
      'workflows_metric_sections',
      'workflows_run_validators',
    ];
    for (const table of parents) {
      const [row] = await server.store.db.query<{ estimated: number; counted: number }>(
        `SELECT (SELECT reltuples::int FROM pg_class WHERE oid = '${table}'::regclass) AS estimated,
                (SELECT count(*)::int FROM ${table}) AS counted`,
      );
      expect({ table, estimated: row?.estimated }).toEqual({ table, estimated: row?.counted });
    }
  });

  test('samples runs answer summaries computed from their 60 result rows', async () => {
    const [{ id } = { id: 0 }] = await server.store.db.query<{ id: number }>(
      "SELECT max(id)::int AS id FROM samples_runs WHERE triggered_by = 'bench'",
    );
    const res = await server.get(`/api/v1/runs/${id}/summary`, auth('samples'));
    const body = (await res.json()) as {
      total_samples: number;
      pass_count: number;
      fail_count: number;
      skipped_count: number;
    };
    expect(res.status).toBe(200);
    expect(specValidator('samples').validate('samplesGetRunSummary', 200, body).errors).toBe('No errors');
    expect(body.total_samples).toBe(60);
    expect(body.pass_count + body.fail_count + body.skipped_count).toBe(60);
  });

  test('matching runs show the top 50 of their 60 results and count matches over the threshold', async () => {
    const [run] = await server.store.db.query<{ id: string }>(
      "SELECT id FROM matching_runs WHERE triggered_by = 'bench' ORDER BY created_at DESC LIMIT 1",
    );
    const res = await server.get(`/v1/matching/runs/${run?.id}`, auth('matching'));
    const body = (await res.json()) as { results: Array<{ confidence: number }>; rows_matched: number };
    expect(res.status).toBe(200);
    expect(specValidator('matching').validate('matchingGetRun', 200, body).errors).toBe('No errors');
    expect(body.results).toHaveLength(50);
    // Confidences ((c * 37) % 101) / 100 for c = 1..60: 12 of them above 0.8, the threshold of
    // ws_acme_finance's first config (by id), the one bulk runs use.
    expect(body.rows_matched).toBe(12);
  });

  test('telemetry runs of 60 cells answer rates between 0 and 1', async () => {
    const [run] = await server.store.db.query<{ id: string }>(
      "SELECT id FROM telemetry_runs WHERE schema_id LIKE 'bench-%' AND status = 'completed' LIMIT 1",
    );
    const res = await server.get(`/v1/telemetry/runs/${run?.id}/summary`, auth('telemetry'));
    const body = (await res.json()) as { capture_hit_rate: number; strategy_distribution: Record<string, number> };
    expect(res.status).toBe(200);
    expect(Object.values(body.strategy_distribution).reduce((a, b) => a + b, 0)).toBe(60);
    // Cell c is filled by capture when c % 4 is 0 or 1: 30 of 60.
    expect(body.capture_hit_rate).toBe(0.5);
  });

  test('taxonomy bulk runs are listed for their tenant, and two batches wrote 60 distinct runs', async () => {
    const tenant = server.demo.taxonomy?.[0]?.tenant ?? '';
    const [{ n } = { n: 0 }] = await server.store.db.query<{ n: number }>(
      "SELECT count(DISTINCT id)::int AS n FROM taxonomy_runs WHERE field_id LIKE 'bench-%'",
    );
    expect(n).toBe(60);
    const res = await server.get(`/v1/taxonomy/runs?tenant_id=${tenant}&field_id=bench-field-1`, auth('taxonomy'));
    expect(res.status).toBe(200);
    // Run n of the two batches (1..60) is in bench-field-(n % 50): runs 1 and 51.
    expect(((await res.json()) as { data: unknown[] }).data).toHaveLength(2);
  });
});

describe('bulk workflows data', () => {
  test('a bulk run answers its overview with aggregates over its 60 outcomes and 60 audio lines', async () => {
    const [run] = await server.store.db.query<{ id: string; workflow_id: string }>(
      "SELECT id, workflow_id FROM workflows_runs WHERE workspace_id = 'ws_acme_research' AND created_at < '2026-01-01' ORDER BY created_at LIMIT 1",
    );
    const tenant = server.demo.workflows?.[0];
    const res = await server.get(`/api/v1/workflows/${run?.workflow_id}/runs/${run?.id}/overview`, {
      ...bearer(tenant?.apiKey ?? ''),
      ...(tenant?.headers ?? {}),
    });
    const body = (await res.json()) as {
      data: {
        validators: Array<{ pass_count: number; fail_count: number; retry_count: number }>;
        audio_by_language: Array<{ line_count: number }>;
      };
    };
    expect(res.status).toBe(200);
    expect(specValidator('workflows').validate('workflowsGetRunOverview', 200, body).errors).toBe('No errors');
    const [validator] = body.data.validators;
    expect((validator?.pass_count ?? 0) + (validator?.fail_count ?? 0) + (validator?.retry_count ?? 0)).toBe(60);
    expect(body.data.audio_by_language.reduce((n, l) => n + l.line_count, 0)).toBe(60);
  });
});

describe('final bodies stored at write time (npm run seed -- --store-bodies)', () => {
  test.each(Object.keys(BULK_SEEDERS))(
    '%s: every terminal run of the tenant gets its validated body stored',
    async (name) => {
      const api = registry.find((m) => m.name === name);
      const tenant = server.demo[name]?.[0];
      if (!api || !tenant) throw new Error(`no ${name} demo tenant`);
      const paths = await api.finalRunPaths(server.store.db, tenant.tenant, 1_000);
      // The demo's terminal runs and the bulk ones: more than either alone.
      const demoFinal = tenant.runs.filter((r) => paths.includes(r.path));
      expect(demoFinal.length).toBeGreaterThan(0);
      expect(paths.length).toBeGreaterThan(demoFinal.length);
      const headers = tenantHeaders(tenant);
      const outcome = await storeFinalBodies(
        server.store.db,
        paths.map((path) => ({ api: name as ApiName, tenant: tenant.tenant, path, headers })),
        { jwtSecret: TEST_JWT_SECRET },
      );
      expect(outcome).toMatchObject({ refused: [], failed: [] });
      expect(outcome.stored + outcome.skipped).toBe(paths.length);
      const rows = await server.store.db.query<{ key: string; body: string }>(
        'SELECT key, body FROM final_bodies WHERE key LIKE $1',
        [`%\n${tenant.tenant}\n%`],
      );
      const stored = new Map(rows.map((r) => [r.key.slice(r.key.lastIndexOf('\n') + 1), r.body]));
      for (const path of paths) expect(stored.has(path), path).toBe(true);
      // A demo run that can still change is not among them.
      for (const run of tenant.runs.filter((r) => !TERMINAL_STATUSES.has(r.status)))
        expect(paths).not.toContain(run.path);
      const [sample] = paths;
      const body = JSON.parse(stored.get(sample ?? '') ?? 'null');
      // Workflows stores the run's part (`data`); its meta is per request.
      const whole =
        name === 'workflows' ? { data: body, meta: { request_id: 'r', timestamp: new Date().toISOString() } } : body;
      expect(specValidator(name as ApiName).validate(GET_OPERATION[name as ApiName], 200, whole)).toMatchObject({
        valid: true,
      });
    },
  );
});

describe('npm run seed stores the bodies of what it writes, unless told not to', () => {
  test('--store-bodies is the default; --no-store-bodies turns it off (the last of the two wins)', () => {
    expect(parseSeedArgs([])?.storeBodies).toBe(true);
    expect(parseSeedArgs(['--runs', '10', '--no-store-bodies'])).toMatchObject({ runs: 10, storeBodies: false });
    expect(parseSeedArgs(['--store-bodies'])?.storeBodies).toBe(true);
    expect(parseSeedArgs(['--no-store-bodies', '--store-bodies'])?.storeBodies).toBe(true);
    expect(parseSeedArgs(['--store-bodies', '--no-store-bodies'])?.storeBodies).toBe(false);
    expect(parseSeedArgs(['--store-bodies=no'])).toBeUndefined();
    expect(parseSeedArgs(['--runs', '0'])).toBeUndefined();
  });

  const newSamplesRuns = async (after: number) =>
    (
      await server.store.db.query<{ id: number }>('SELECT id::int AS id FROM samples_runs WHERE id > $1 ORDER BY id', [
        after,
      ])
    ).map((r) => `/api/v1/runs/${r.id}/summary`);
  const lastSamplesRun = async () =>
    (await server.store.db.query<{ id: number }>('SELECT max(id)::int AS id FROM samples_runs'))[0]?.id ?? 0;
  const samples = registry.filter((api) => api.name === 'samples');
  const options = { runs: 3, perRun: 5, batch: 2, apis: samples, jwtSecret: TEST_JWT_SECRET };
  const storedPaths = async (paths: string[]) =>
    (await Promise.all(paths.map((path) => storedRows(server.store.db, path)))).filter((rows) => rows.length > 0)
      .length;

  test('with --no-store-bodies the new runs have no stored body; by default they do', async () => {
    const start = await lastSamplesRun();
    const skipped = await seedBulk(server.store.db, { ...options, storeBodies: false });
    expect(skipped.bodies).toBeUndefined();
    const unstored = await newSamplesRuns(start);
    expect(unstored).toHaveLength(3);
    expect(await storedPaths(unstored)).toBe(0);

    const middle = await lastSamplesRun();
    const report = await seedBulk(server.store.db, { ...options, storeBodies: true });
    const added = await newSamplesRuns(middle);
    expect(added).toHaveLength(3);
    // Every terminal run of the tenant: the three just added, the three left unstored above, and
    // any an earlier test stored (skipped, not rendered again).
    expect(report.bodies).toMatchObject({ refused: [], failed: [] });
    expect(report.bodies?.stored).toBeGreaterThanOrEqual(6);
    expect(await storedPaths([...unstored, ...added])).toBe(6);
  });
});
