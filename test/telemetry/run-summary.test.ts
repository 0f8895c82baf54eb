import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { telemetryApi } from '../../server/apis/telemetry/index.ts';
import { insertKey } from '../../server/store/keys.ts';
import { insertCells, insertRun } from '../../server/store/telemetry.ts';
import { bearer, startTestServer, type TestServer } from '../helpers/server.ts';
import { specValidator } from '../helpers/spec.ts';
import { acme, globex } from './demo-run-ids.ts';

const spec = specValidator('telemetry');
let server: TestServer;
let keyA: string;
let keyB: string;

const MISSING = '0d15ea5e-0000-4000-8000-000000000000';

beforeAll(async () => {
  server = await startTestServer({ apis: [telemetryApi] });
  const [a, b] = server.demo.telemetry ?? [];
  keyA = a?.apiKey ?? '';
  keyB = b?.apiKey ?? '';
});
afterAll(() => server.close());

async function summary(id: string, key = keyA) {
  const res = await server.get(`/v1/telemetry/runs/${id}/summary`, bearer(key));
  const text = await res.text();
  return { res, text, body: JSON.parse(text) as Record<string, unknown> };
}

/** Everything a client can see of a response, except what differs per request by design. */
async function visible(id: string, key = keyA) {
  const { res, text } = await summary(id, key);
  const headers = Object.fromEntries([...res.headers].filter(([name]) => !['date', 'x-request-id'].includes(name)));
  return { status: res.status, headers, text };
}

describe('telemetry run summary', () => {
  test('a completed run answers 200 with rates and counts computed from its cells', async () => {
    const { res, body } = await summary(acme(1));
    expect(res.status).toBe(200);
    expect(spec.validate('telemetryGetRunSummary', 200, body)).toMatchObject({ valid: true });
    // 40 cells: 30 captured, 8 synthesized, 2 unfilled
    expect(body).toEqual({
      run_id: acme(1),
      schema_id: 'sch-uuid-1',
      capture_hit_rate: 0.75,
      synthesize_rate: 0.2,
      strategy_distribution: { transfer: 24, extract: 10, compute: 4, skip: 2 },
      tier_funnel: { tier1: 20, tier2: 10, tier3: 4, unresolved: 6 },
    });
  });

  test('a failed run is finished, so it answers 200 with the cells it processed', async () => {
    const { res, body } = await summary(acme(3));
    expect(res.status).toBe(200);
    expect(spec.validate('telemetryGetRunSummary', 200, body)).toMatchObject({ valid: true });
    expect(body).toMatchObject({
      capture_hit_rate: 0.375,
      synthesize_rate: 0.125,
      strategy_distribution: { transfer: 6, extract: 2, compute: 0, skip: 8 },
      tier_funnel: { tier1: 4, tier2: 2, tier3: 0, unresolved: 10 },
    });
  });

  test('rates are fractions between 0 and 1 of all the run cells, never percentages', async () => {
    for (const id of [acme(1), acme(2), acme(3), acme(7), globex(1)]) {
      const key = id === globex(1) ? keyB : keyA;
      const { body } = await summary(id, key);
      const strategies = body.strategy_distribution as Record<string, number>;
      const tiers = body.tier_funnel as Record<string, number>;
      const total = Object.values(strategies).reduce((a, b) => a + b, 0);
      expect(Object.values(tiers).reduce((a, b) => a + b, 0)).toBe(total);
      for (const rate of [body.capture_hit_rate, body.synthesize_rate] as number[]) {
        expect(rate).toBeGreaterThanOrEqual(0);
        expect(rate).toBeLessThanOrEqual(1);
        // a fraction of whole cells: rate × total is a cell count
        expect(Math.abs(rate * total - Math.round(rate * total))).toBeLessThan(1e-9);
      }
      expect((body.capture_hit_rate as number) + (body.synthesize_rate as number)).toBeLessThanOrEqual(1);
    }
    expect((await summary(globex(1), keyB)).body).toMatchObject({ capture_hit_rate: 1, synthesize_rate: 0 });
  });

  test('a run without cells answers 0 rates and every counter key with 0', async () => {
    const { res, body } = await summary(acme(6));
    expect(res.status).toBe(200);
    expect(spec.validate('telemetryGetRunSummary', 200, body)).toMatchObject({ valid: true });
    expect(body).toMatchObject({
      capture_hit_rate: 0,
      synthesize_rate: 0,
      strategy_distribution: { transfer: 0, extract: 0, compute: 0, skip: 0 },
      tier_funnel: { tier1: 0, tier2: 0, tier3: 0, unresolved: 0 },
    });
  });

  test('a strategy or tier no cell used still appears, counted 0', async () => {
    const { body } = await summary(acme(7));
    expect(body).toMatchObject({
      synthesize_rate: 0,
      strategy_distribution: { compute: 0 },
      tier_funnel: { tier3: 0, unresolved: 10 },
    });
  });

  test('pending and running runs answer the same 404 as a run that does not exist', async () => {
    const missing = await visible(MISSING);
    expect(missing.status).toBe(404);
    expect(spec.validate('telemetryGetRunSummary', 404, JSON.parse(missing.text))).toMatchObject({ valid: true });
    expect(JSON.parse(missing.text)).toEqual({
      error: { code: 'not_found', message: 'No job run with this ID exists for your organization.' },
    });
    expect(await visible(acme(4))).toEqual(missing); // running, with cells already
    expect(await visible(acme(5))).toEqual(missing); // pending
  });

  test('a running run answers 404 until it completes, then 200', async () => {
    const db = server.store.db;
    const id = 'aaaa0000-0000-4000-8000-000000000001';
    await insertRun(db, {
      id,
      organizationId: 'org_acme',
      schemaId: 'sch-lifecycle',
      status: 'running',
      createdAt: new Date('2026-01-01T00:00:00.000Z'),
      completedAt: null,
    });
    await insertCells(db, id, [{ strategy: 'extract', tier: 'tier2', filledBy: 'synthesis' }]);
    expect((await summary(id)).res.status).toBe(404);
    await db.query(
      `UPDATE telemetry_runs SET status = 'completed', completed_at = created_at + interval '1 minute'
                     WHERE id = $1`,
      [id],
    );
    const done = await summary(id);
    expect(done.res.status).toBe(200);
    expect(done.body).toMatchObject({ run_id: id, synthesize_rate: 1, strategy_distribution: { extract: 1 } });
  });

  test("another organization's run answers byte for byte like a run that does not exist", async () => {
    const missing = await visible(MISSING);
    const foreign = await visible(globex(1));
    expect(foreign).toEqual(missing);
    expect((await summary(globex(1), keyB)).res.status).toBe(200);
  });

  test('a key of an organization without runs reads no run of another organization', async () => {
    await insertKey(server.store.db, { api: 'telemetry', tenantId: 'org_empty', subject: 'test' }, 'tlm_test_empty');
    expect((await visible(acme(1), 'tlm_test_empty')).status).toBe(404);
  });

  test('a run id in upper case reads the same run; the URN form is a 400, not a failed SQL cast', async () => {
    const plain = await summary(acme(1));
    expect((await summary(acme(1).toUpperCase())).text).toBe(plain.text);
    expect((await summary(`urn:uuid:${acme(1)}`)).res.status).toBe(400);
  });

  test.each([['not-a-uuid'], ['7e1e0000-0000-4000-8000-00000001000'], ['7e1e0000000040008000000000010001x'], ['%20']])(
    'run id %s is a 400 in the telemetry error shape',
    async (id) => {
      const { res, body } = await summary(id);
      expect(res.status).toBe(400);
      expect(spec.validate('telemetryGetRunSummary', 400, body)).toMatchObject({ valid: true });
      expect(body).toMatchObject({ error: { code: 'bad_request' } });
      expect((body.error as { message: string }).message).toMatch(/\bid\b/);
    },
  );
});
