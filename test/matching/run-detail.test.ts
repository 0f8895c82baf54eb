import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { components } from '../../generated/matching.ts';
import { matchingApi } from '../../server/apis/matching/index.ts';
import { bearer, startTestServer, type TestServer } from '../helpers/server.ts';
import { specValidator } from '../helpers/spec.ts';

type RunDetail = components['schemas']['MatchingRunDetail'];

const spec = specValidator('matching');
let server: TestServer;
let keyA: string;
let keyB: string;
let workspaceA: string;

beforeAll(async () => {
  server = await startTestServer({ apis: [matchingApi] });
  const [a, b] = server.demo.matching ?? [];
  keyA = a?.apiKey ?? '';
  keyB = b?.apiKey ?? '';
  workspaceA = a?.tenant ?? '';
});
afterAll(() => server.close());

/** Fixture ids: run n owns the block n * 100000; a result's id falls as its index rises. */
const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const runId = (n: number) => uuid(n * 100_000 + 1);

/** A run of workspace A with one result per confidence, under a config of its own threshold. */
async function seedRun(
  n: number,
  threshold: number,
  confidences: number[],
  run: { status?: string; rowsProcessed?: number | null; noMatchAt?: number[] } = {},
): Promise<Array<{ id: string; confidence: number }>> {
  const db = server.store.db;
  const config = uuid(n * 100_000);
  await db.query('INSERT INTO matching_configs (id, workspace_id, name, threshold) VALUES ($1, $2, $3, $4)', [
    config,
    workspaceA,
    `fixture ${n}`,
    threshold,
  ]);
  const status = run.status ?? 'completed';
  await db.query(
    `INSERT INTO matching_runs (id, workspace_id, matching_config_id, status, triggered_by, rows_processed, started_at)
     VALUES ($1, $2, $3, $4, 'api', $5, CASE WHEN $4 = 'queued' THEN NULL ELSE now() END)`,
    [runId(n), workspaceA, config, status, run.rowsProcessed === undefined ? confidences.length : run.rowsProcessed],
  );
  const results = confidences.map((confidence, j) => ({ id: uuid(n * 100_000 + 99_999 - j), confidence }));
  for (const [j, r] of results.entries()) {
    await db.query(
      `INSERT INTO matching_results (id, run_id, document_id, matched_reference_row_id, confidence, evidence)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb)`,
      [
        r.id,
        runId(n),
        `doc_fixture_${j}`,
        run.noMatchAt?.includes(j) ? null : `ref_row_${j}`,
        r.confidence,
        JSON.stringify({ amount: { strategy: 'exact', score: 1 } }),
      ],
    );
  }
  return results;
}

async function getRun(id: string, key = keyA, headers: Record<string, string> = {}) {
  const res = await server.get(`/v1/matching/runs/${id}`, { ...bearer(key), ...headers });
  const body = (await res.json()) as RunDetail;
  expect(spec.validate('matchingGetRun', res.status, body)).toMatchObject({ valid: true });
  return { res, body };
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const byRank = (a: { id: string; confidence: number }, b: { id: string; confidence: number }) =>
  b.confidence - a.confidence || (a.id < b.id ? -1 : 1);

describe('matching run detail: seeded rules', () => {
  test('returns exactly the top 50 results by confidence descending, ties broken by id', async () => {
    // 60 matches above 0.745 (with ties), then 20 below it
    const confidences = Array.from({ length: 80 }, (_, j) =>
      j < 60 ? Number((0.75 + (j % 26) / 100).toFixed(2)) : Number((0.74 - (j - 60) / 100).toFixed(2)),
    );
    const seeded = await seedRun(1, 0.745, confidences);
    const { res, body } = await getRun(runId(1));
    expect(res.status).toBe(200);
    expect(body.results).toHaveLength(50);
    const expected = [...seeded].sort(byRank).slice(0, 50);
    expect(body.results.map((r) => [r.id, r.confidence])).toEqual(expected.map((r) => [r.id, r.confidence]));
    for (const [i, r] of body.results.entries()) {
      if (i > 0) expect(r.confidence).toBeLessThanOrEqual(body.results[i - 1]?.confidence ?? 1);
    }
  });

  test('rows_matched counts every match above the threshold, not only the 50 returned', async () => {
    const { body } = await getRun(runId(1));
    expect(body.rows_matched).toBe(60);
    expect(body.rows_processed).toBe(80);
  });

  test('a result exactly at the threshold is not a match: the seed says "above threshold"', async () => {
    await seedRun(2, 0.8, [0.8, 0.7999, 0.95]);
    const { body } = await getRun(runId(2));
    expect(body.rows_matched).toBe(1);
    expect(body.avg_confidence).toBeCloseTo(0.95, 10);
  });

  test('10 results exactly at 0.8 and 20 above it count 20 matches, averaged over those 20', async () => {
    const confidences = [
      ...Array.from({ length: 10 }, () => 0.8),
      ...Array.from({ length: 20 }, (_, j) => 0.81 + j / 200),
    ];
    await seedRun(7, 0.8, confidences);
    const { body } = await getRun(runId(7));
    expect(body.rows_matched).toBe(20);
    expect(body.avg_confidence).toBeCloseTo(mean(confidences.slice(10)), 10);
  });

  test('a result with no matched reference row is never a match, whatever its confidence', async () => {
    await seedRun(8, 0.5, [0.99, 0.9, 0.7, 0.2], { noMatchAt: [0, 2] });
    const { body } = await getRun(runId(8));
    expect(body.rows_matched).toBe(1);
    expect(body.avg_confidence).toBeCloseTo(0.9, 10);
    expect(body.results.map((r) => r.matched_reference_row_id)).toEqual([null, 'ref_row_1', null, 'ref_row_3']);
  });

  test('avg_confidence is the mean over the matches only, not over every result', async () => {
    await seedRun(3, 0.6, [0.9, 0.7, 0.2, 0.1]);
    const { body } = await getRun(runId(3));
    expect(body.rows_matched).toBe(2);
    expect(body.avg_confidence).toBeCloseTo(0.8, 10);
    expect(body.results.map((r) => r.confidence)).toEqual([0.9, 0.7, 0.2, 0.1]);
  });

  test('avg_confidence over the 60 matches of the large run ignores the 20 results below the threshold', async () => {
    const { body } = await getRun(runId(1));
    const matches = Array.from({ length: 60 }, (_, j) => Number((0.75 + (j % 26) / 100).toFixed(2)));
    expect(body.avg_confidence).toBeCloseTo(mean(matches), 10);
  });

  test('a run with results but no match reports 0 matched and a null average', async () => {
    await seedRun(4, 0.9, [0.5, 0.89]);
    const { body } = await getRun(runId(4));
    expect(body).toMatchObject({ rows_matched: 0, avg_confidence: null });
    expect(body.results).toHaveLength(2);
  });

  test('a started run with nothing evaluated yet reports zero counters, not null ones', async () => {
    await seedRun(5, 0.8, [], { status: 'running', rowsProcessed: 0 });
    const { body } = await getRun(runId(5));
    expect(body).toMatchObject({ rows_processed: 0, rows_matched: 0, avg_confidence: null, results: [] });
  });

  test('a queued run has null counters and no results', async () => {
    await seedRun(6, 0.8, [], { status: 'queued', rowsProcessed: null });
    const { body } = await getRun(runId(6));
    expect(body).toMatchObject({
      status: 'queued',
      rows_processed: null,
      rows_matched: null,
      avg_confidence: null,
      started_at: null,
      results: [],
    });
  });

  test('links point at the run and at the config that triggered it', async () => {
    const { body } = await getRun(runId(2));
    expect(body.links).toEqual({
      self: `/v1/matching/runs/${runId(2)}`,
      config: `/v1/matching/configs/${uuid(200_000)}`,
    });
    expect(body.matching_config_id).toBe(uuid(200_000));
  });

  test('confidences and evidence come back as JSON numbers and the stored evidence map', async () => {
    const res = await server.get(`/v1/matching/runs/${runId(2)}`, bearer(keyA));
    const text = await res.text();
    expect(text).toContain('"confidence":0.95,');
    expect(text).toContain('"evidence":{"amount":{"score":1,"strategy":"exact"}}');
  });
});

describe('matching run detail: demo data', () => {
  test('every demo run of both workspaces answers 200 with its own status', async () => {
    for (const tenant of server.demo.matching ?? []) {
      for (const run of tenant.runs) {
        const { res, body } = await getRun(run.id as string, tenant.apiKey);
        expect(res.status).toBe(200);
        expect(server.url + run.path).toBe(`${server.url}/v1/matching/runs/${run.id}`);
        expect(body.status).toBe(run.status);
      }
    }
    const statuses = new Set(server.demo.matching?.[0]?.runs.map((r) => r.status));
    expect([...statuses].sort()).toEqual(['ai_resolving', 'cancelled', 'completed', 'failed', 'queued', 'running']);
  });

  test('the large demo run shows 50 of its 120 results and counts matches beyond them', async () => {
    const big = server.demo.matching?.[0]?.runs[0];
    const { body } = await getRun(String(big?.id));
    expect(body.results).toHaveLength(50);
    expect(body.rows_matched ?? 0).toBeGreaterThan(50);
    const confidences = body.results.map((r) => r.confidence);
    expect(confidences).toEqual([...confidences].sort((x, y) => y - x));
  });

  test('seeding the demo again changes nothing: same tenants, same runs, no duplicate results', async () => {
    const again = await matchingApi.seedDemo(server.store.db);
    expect(again).toEqual(server.demo.matching);
    const [row] = await server.store.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM matching_results WHERE run_id = $1',
      [String(server.demo.matching?.[0]?.runs[0]?.id)],
    );
    expect(row?.n).toBe(120);
  });

  test('only a failed demo run carries an error, and only finished runs a completed_at', async () => {
    for (const run of server.demo.matching?.[0]?.runs ?? []) {
      const { body } = await getRun(String(run.id));
      expect(body.error === null).toBe(run.status !== 'failed');
      expect(body.completed_at === null).toBe(!['completed', 'failed', 'cancelled'].includes(run.status));
    }
  });
});

describe('matching run detail: tenancy', () => {
  test("another workspace's run answers byte for byte like a run that does not exist", async () => {
    const foreignId = String(server.demo.matching?.[1]?.runs[0]?.id);
    const missingId = '7f000000-0000-4000-8000-000000000001';
    const sameRequest = { 'x-request-id': 'tenancy-check' };
    const foreign = await server.get(`/v1/matching/runs/${foreignId}`, { ...bearer(keyA), ...sameRequest });
    const missing = await server.get(`/v1/matching/runs/${missingId}`, { ...bearer(keyA), ...sameRequest });
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    const headers = (r: Response) => [...r.headers].filter(([name]) => name !== 'date');
    expect(headers(foreign)).toEqual(headers(missing));
    const body = await foreign.text();
    expect(body).toBe(await missing.text());
    expect(JSON.parse(body)).toEqual({
      error: { code: 'not_found', message: 'No matching run with this ID exists for your workspace.' },
    });
    expect(spec.validate('matchingGetRun', 404, JSON.parse(body))).toMatchObject({ valid: true });
  });

  test('the owning workspace reads the same run', async () => {
    const foreignId = String(server.demo.matching?.[1]?.runs[0]?.id);
    const { res, body } = await getRun(foreignId, keyB);
    expect(res.status).toBe(200);
    expect(body.id).toBe(foreignId);
  });
});
