import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { samplesApi } from '../../server/apis/samples/index.ts';
import { bearer, startTestServer, type TestServer } from '../helpers/server.ts';
import { specValidator } from '../helpers/spec.ts';

const spec = specValidator('samples');
let server: TestServer;
let keyA: string;
let keyB: string;

beforeAll(async () => {
  server = await startTestServer({ apis: [samplesApi] });
  const [a, b] = server.demo.samples ?? [];
  keyA = a?.apiKey ?? '';
  keyB = b?.apiKey ?? '';
});
afterAll(() => server.close());

async function summary(runId: number | string, key = keyA) {
  const res = await server.get(`/api/v1/runs/${runId}/summary`, bearer(key));
  return { res, body: (await res.json()) as Record<string, unknown> };
}

describe('samples run summary', () => {
  test('counts come from the test-result rows of a completed run', async () => {
    const { res, body } = await summary(101);
    expect(res.status).toBe(200);
    expect(spec.validate('samplesGetRunSummary', 200, body)).toMatchObject({ valid: true });
    // plan: pass, pass, pass, fail_diff, missing, skipped, fail_rc, pass
    expect(body).toEqual({
      run_id: 101,
      total_samples: 8,
      pass_count: 4,
      fail_count: 3,
      skipped_count: 1,
      missing_output_count: 1,
      error_count: 1,
      duration_ms: 900_000,
      triggered_by: 'github:push',
    });
  });

  test('a canceled run (test.failed = true) still reports failures from rows, not from the flag', async () => {
    const { body } = await summary(103);
    expect(body).toMatchObject({ run_id: 103, total_samples: 4, pass_count: 1, fail_count: 1, skipped_count: 2 });
  });

  test('a null got means the output matched, so a clean run has no failures', async () => {
    const { body } = await summary(102);
    expect(body).toMatchObject({ total_samples: 4, pass_count: 4, fail_count: 0, missing_output_count: 0 });
  });

  test('a queued run with no rows answers zero counts and a null duration', async () => {
    const { body } = await summary(105);
    expect(body).toMatchObject({ total_samples: 0, pass_count: 0, fail_count: 0, duration_ms: null });
  });

  test("another project's run answers byte for byte like a run that does not exist", async () => {
    const foreign = await server.get('/api/v1/runs/201/summary', bearer(keyA));
    const missing = await server.get('/api/v1/runs/999999/summary', bearer(keyA));
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    const foreignBody = await foreign.json();
    expect(spec.validate('samplesGetRunSummary', 404, foreignBody)).toMatchObject({ valid: true });
    // Only the id differs, as the caller asked for different ids.
    expect(JSON.stringify(foreignBody).replaceAll('201', 'X')).toBe(
      JSON.stringify(await missing.json()).replaceAll('999999', 'X'),
    );
    const own = await summary(201, keyB);
    expect(own.res.status).toBe(200);
  });

  test.each([
    ['abc', 'run_id'],
    ['0', 'run_id'],
    ['-5', 'run_id'],
    ['1.5', 'run_id'],
  ])('run_id %s is a 400 in the samples error shape', async (runId, parameter) => {
    const { res, body } = await summary(runId);
    expect(res.status).toBe(400);
    expect(spec.validate('samplesGetRunSummary', 400, body)).toMatchObject({ valid: true });
    expect(body).toMatchObject({ code: 'bad_request', details: { parameter } });
  });

  test('every response carries the rate-limit budget headers, errors included', async () => {
    // An authenticated caller sees its own budget (120); a refused one, its address's budget of
    // refused credentials (600), the budget whose 429 it would get.
    for (const [res, limit] of [
      [await server.get('/api/v1/runs/101/summary', bearer(keyA)), 120],
      [await server.get('/api/v1/runs/101/summary'), 600],
      [await server.get('/api/v1/runs/abc/summary', bearer(keyA)), 120],
    ] as const) {
      expect(Number(res.headers.get('x-ratelimit-limit'))).toBe(limit);
      expect(Number(res.headers.get('x-ratelimit-remaining'))).toBeGreaterThanOrEqual(0);
      expect(Number(res.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000 - 1);
    }
  });
});

describe('samples run list', () => {
  test('pages newest first with a stable cursor until next_cursor is null', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const res = await server.get(`/api/v1/runs?limit=2${cursor ? `&cursor=${cursor}` : ''}`, bearer(keyA));
      expect(res.status).toBe(200);
      const body = (await res.json()) as { data: Array<{ run_id: number }>; next_cursor: string | null };
      expect(spec.validate('samplesListRuns', 200, body)).toMatchObject({ valid: true });
      seen.push(...body.data.map((r) => r.run_id));
      cursor = body.next_cursor;
    } while (cursor);
    expect(seen).toEqual([105, 104, 103, 102, 101]);
  });

  test('filters by status and never shows another project', async () => {
    const res = await server.get('/api/v1/runs?status=completed', bearer(keyB));
    const body = (await res.json()) as { data: Array<{ run_id: number; status: string }> };
    expect(body.data.map((r) => r.run_id)).toEqual([202, 201]);
  });

  test('a cursor the API did not issue is a 400', async () => {
    const res = await server.get('/api/v1/runs?cursor=bm90LWEtY3Vyc29y', bearer(keyA));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'bad_request', details: { parameter: 'cursor' } });
  });
});
