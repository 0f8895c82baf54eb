import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { telemetryApi } from '../../server/apis/telemetry/index.ts';
import { insertKey } from '../../server/store/keys.ts';
import { insertCells, insertRun, type RunStatus } from '../../server/store/telemetry.ts';
import { bearer, startTestServer, type TestServer } from '../helpers/server.ts';
import { specValidator } from '../helpers/spec.ts';
import { acme, globex } from './demo-run-ids.ts';

const spec = specValidator('telemetry');
let server: TestServer;
let keyA: string;
let keyB: string;
const TIES_KEY = 'tlm_test_ties_0f9e8d7c';

async function run(id: string, schemaId: string, status: RunStatus, completedAt: string | null, captured = 1) {
  const db = server.store.db;
  await insertRun(db, {
    id,
    organizationId: 'org_ties',
    schemaId,
    status,
    createdAt: new Date('2026-01-01T00:00:00.000Z'),
    completedAt: completedAt ? new Date(completedAt) : null,
  });
  await insertCells(
    db,
    id,
    Array.from({ length: captured }, () => ({ strategy: 'transfer', tier: 'tier1', filledBy: 'capture' }) as const),
  );
}

beforeAll(async () => {
  server = await startTestServer({ apis: [telemetryApi] });
  const [a, b] = server.demo.telemetry ?? [];
  keyA = a?.apiKey ?? '';
  keyB = b?.apiKey ?? '';
  await insertKey(server.store.db, { api: 'telemetry', tenantId: 'org_ties', subject: 'test' }, TIES_KEY);
  // Same completed_at: the highest run id wins.
  await run('bbbb0000-0000-4000-8000-000000000001', 'sch-tie', 'completed', '2026-01-02T00:00:00.000Z', 1);
  await run('bbbb0000-0000-4000-8000-00000000000f', 'sch-tie', 'completed', '2026-01-02T00:00:00.000Z', 2);
  await run('bbbb0000-0000-4000-8000-000000000009', 'sch-tie', 'completed', '2026-01-01T12:00:00.000Z', 3);
  // Only unfinished or failed runs: no schema summary at all.
  await run('bbbb0000-0000-4000-8000-000000000010', 'sch-unfinished', 'pending', null);
  await run('bbbb0000-0000-4000-8000-000000000011', 'sch-unfinished', 'running', null);
  await run('bbbb0000-0000-4000-8000-000000000012', 'sch-unfinished', 'failed', '2026-01-03T00:00:00.000Z');
});
afterAll(() => server.close());

async function schemaSummary(schemaId: string, key = keyA) {
  const res = await server.get(`/v1/telemetry/schemas/${encodeURIComponent(schemaId)}/summary`, bearer(key));
  const text = await res.text();
  return { res, text, body: JSON.parse(text) as Record<string, unknown> };
}

describe('telemetry schema summary', () => {
  test('answers the latest completed run of the schema, by completed_at rather than created_at', async () => {
    const { res, body } = await schemaSummary('sch-uuid-1');
    expect(res.status).toBe(200);
    expect(spec.validate('telemetryGetSchemaSummary', 200, body)).toMatchObject({ valid: true });
    // acme(1) was created before acme(2) but finished after it; acme(3) failed later still.
    expect(body.run_id).toBe(acme(1));
  });

  test('has exactly the body of the Run Summary of the run it picked', async () => {
    const { text } = await schemaSummary('sch-uuid-1');
    const byId = await server.get(`/v1/telemetry/runs/${acme(1)}/summary`, bearer(keyA));
    expect(await byId.text()).toBe(text);
  });

  test('never picks a failed, running or pending run, even a more recent one', async () => {
    const { body } = await schemaSummary('sch-uuid-1');
    expect(body.run_id).not.toBe(acme(3)); // failed, completed_at after acme(1)
    expect((await schemaSummary('sch-unfinished', TIES_KEY)).res.status).toBe(404);
  });

  test('a schema whose only run failed answers 404', async () => {
    const { res, body } = await schemaSummary('sch-drafts-v1');
    expect(res.status).toBe(404);
    expect(spec.validate('telemetryGetSchemaSummary', 404, body)).toMatchObject({ valid: true });
    expect(body).toEqual({
      error: { code: 'not_found', message: 'No completed job run of this schema exists for your organization.' },
    });
  });

  test('a tie on completed_at goes to the highest run id', async () => {
    const { body } = await schemaSummary('sch-tie', TIES_KEY);
    expect(body).toMatchObject({
      run_id: 'bbbb0000-0000-4000-8000-00000000000f',
      strategy_distribution: { transfer: 2 },
    });
  });

  test('only runs of the caller organization are candidates', async () => {
    // globex finished a sch-uuid-1 run after every acme run
    expect((await schemaSummary('sch-uuid-1', keyB)).body.run_id).toBe(globex(1));
    expect((await schemaSummary('sch-uuid-1', keyA)).body.run_id).toBe(acme(1));
  });

  test('a schema known only to another organization answers like an unknown schema', async () => {
    const foreign = await schemaSummary('sch-shipments-v1', keyA);
    const unknown = await schemaSummary('sch-never-seen', keyA);
    expect(foreign.res.status).toBe(404);
    expect(foreign.text).toBe(unknown.text);
    expect((await schemaSummary('sch-shipments-v1', keyB)).res.status).toBe(200);
  });

  test('rates of the picked run are fractions computed from its cells', async () => {
    const { body } = await schemaSummary('sch-invoices-v2');
    expect(body).toMatchObject({ run_id: acme(7), capture_hit_rate: 0.6, synthesize_rate: 0 });
  });

  test('a schema_id longer than 255 characters is a 400 in the telemetry shape', async () => {
    const { res, body } = await schemaSummary('s'.repeat(256));
    expect(res.status).toBe(400);
    expect(spec.validate('telemetryGetSchemaSummary', 400, body)).toMatchObject({ valid: true });
    expect(body).toMatchObject({ error: { code: 'bad_request' } });
    expect((await schemaSummary('s'.repeat(255))).res.status).toBe(404);
  });
});
