import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { samplesApi } from '../../server/apis/samples/index.ts';
import { taxonomyApi } from '../../server/apis/taxonomy/index.ts';
import type { DemoTenant } from '../../server/core/types.ts';
import { insertKey } from '../../server/store/keys.ts';
import { getRun, transitionRun } from '../../server/store/taxonomy.ts';
import { bearer, startTestServer, type TestServer } from '../helpers/server.ts';
import { specValidator } from '../helpers/spec.ts';

const spec = specValidator('taxonomy');
const OPTIONAL = ['error', 'error_code', 'field_label', 'finished_at', 'metrics', 'params', 'started_at'];
let server: TestServer;
let acme: DemoTenant;
let globex: DemoTenant;

beforeAll(async () => {
  server = await startTestServer({ apis: [taxonomyApi, samplesApi], rateLimit: { limit: 10_000 } });
  [acme, globex] = server.demo.taxonomy as [DemoTenant, DemoTenant];
});
afterAll(() => server.close());

const runOf = (tenant: DemoTenant, status: string) => {
  const run = tenant.runs.find((r) => r.status === status);
  if (!run) throw new Error(`demo has no ${status} run`);
  return run;
};

async function get(path: string, key = acme.apiKey) {
  const res = await server.get(path, bearer(key));
  const text = await res.text();
  return { res, text, body: JSON.parse(text) as Record<string, unknown> };
}

/** Everything a client can observe except what differs per request. */
async function observable(path: string) {
  const { res, text } = await get(path);
  const headers = [...res.headers].filter(([name]) => !['x-request-id', 'date'].includes(name));
  return { status: res.status, headers, text };
}

describe('taxonomy get run', () => {
  test.each(['pending', 'running', 'succeeded', 'failed', 'canceled'])(
    'a %s demo run answers 200 with a body the spec accepts',
    async (status) => {
      const { res, body } = await get(runOf(acme, status).path);
      expect(res.status).toBe(200);
      expect(spec.validate('taxonomyGetRun', 200, body)).toMatchObject({ valid: true });
      expect(body).toMatchObject({ status, tenant_id: 'tnt_acme', id: runOf(acme, status).id });
    },
  );

  test('a failed run carries its sanitized error and error_code', async () => {
    const { body } = await get(runOf(acme, 'failed').path);
    expect(body).toMatchObject({ error: expect.any(String), error_code: 'insufficient_data' });
  });

  test('optional fields without a value are absent, never null', async () => {
    const { text, body } = await get(runOf(acme, 'pending').path);
    expect(text).not.toContain('null');
    for (const field of ['error', 'error_code', 'started_at', 'finished_at', 'metrics']) {
      expect(body).not.toHaveProperty(field);
    }
    expect(Object.keys(body).filter((k) => OPTIONAL.includes(k))).toEqual(['field_label', 'params']);
  });

  test('source_id "" (the no-source bucket) round-trips as an empty string', async () => {
    const id = randomUUID();
    await server.store.db.query(
      `INSERT INTO taxonomy_runs (id, tenant_id, field_id, source_id, source_type) VALUES ($1, 'tnt_acme', 'fld_x', '', 'manual')`,
      [id],
    );
    const { res, body } = await get(`/v1/taxonomy/runs/${id}?tenant_id=tnt_acme`);
    expect(res.status).toBe(200);
    expect(body.source_id).toBe('');
    expect(spec.validate('taxonomyGetRun', 200, body)).toMatchObject({ valid: true });
  });

  test('the demo has a no-source run of its own', async () => {
    const bodies = await Promise.all(acme.runs.map(async (r) => (await get(r.path)).body));
    expect(bodies.filter((b) => b.source_id === '')).toHaveLength(1);
  });

  test('a transition made in the store shows up with its timestamps', async () => {
    const id = randomUUID();
    await server.store.db.query(
      `INSERT INTO taxonomy_runs (id, tenant_id, field_id, source_type) VALUES ($1, 'tnt_acme', 'fld_y', 'manual')`,
      [id],
    );
    await transitionRun(server.store.db, 'tnt_acme', id, 'running');
    const { body } = await get(`/v1/taxonomy/runs/${id}?tenant_id=tnt_acme`);
    expect(body).toMatchObject({ status: 'running', started_at: expect.any(String) });
    expect(body).not.toHaveProperty('finished_at');
  });
});

describe('taxonomy tenant scoping', () => {
  test("another tenant's run answers byte for byte like a missing run", async () => {
    const foreignRun = runOf(globex, 'succeeded').id;
    const missing = await observable(`/v1/taxonomy/runs/${randomUUID()}?tenant_id=tnt_acme`);
    expect(missing.status).toBe(404);
    expect(spec.validate('taxonomyGetRun', 404, JSON.parse(missing.text))).toMatchObject({ valid: true });
    expect(await observable(`/v1/taxonomy/runs/${foreignRun}?tenant_id=tnt_acme`)).toEqual(missing);
  });

  test("naming another tenant's tenant_id with a valid key answers like a missing run, even for that tenant's run", async () => {
    const missing = await observable(`/v1/taxonomy/runs/${randomUUID()}?tenant_id=tnt_acme`);
    const globexRun = runOf(globex, 'succeeded').id;
    expect(await observable(`/v1/taxonomy/runs/${globexRun}?tenant_id=tnt_globex`)).toEqual(missing);
    const ownRun = runOf(acme, 'succeeded').id;
    expect(await observable(`/v1/taxonomy/runs/${ownRun}?tenant_id=tnt_globex`)).toEqual(missing);
  });

  test("each tenant's key reads its own run", async () => {
    const { res, body } = await get(runOf(globex, 'failed').path, globex.apiKey);
    expect(res.status).toBe(200);
    expect(body.tenant_id).toBe('tnt_globex');
  });
});

describe('taxonomy input validation', () => {
  const run = () => runOf(acme, 'succeeded').id;

  test.each([
    ['missing', ''],
    ['empty', '?tenant_id='],
    ['256 characters long', `?tenant_id=${'t'.repeat(256)}`],
  ])('tenant_id %s is a 400 in the TaxonomyError shape', async (_case, query) => {
    const { res, body } = await get(`/v1/taxonomy/runs/${run()}${query}`);
    expect(res.status).toBe(400);
    expect(spec.validate('taxonomyGetRun', 400, body)).toMatchObject({ valid: true });
    expect(body.code).toBe('bad_request');
    expect(body.message).toContain('tenant_id');
  });

  test("the vendor's own curl (no tenant_id) is a 400 that names exactly what is missing", async () => {
    const { res, body } = await get(`/v1/taxonomy/runs/${run()}`);
    expect(res.status).toBe(400);
    expect(body).toEqual({ code: 'bad_request', message: "query parameter 'tenant_id' is required" });
    expect(spec.validate('taxonomyGetRun', 400, body)).toMatchObject({ valid: true });
  });

  test('tenant_id of 255 characters is accepted (and, not being the key tenant, finds nothing)', async () => {
    const { res, body } = await get(`/v1/taxonomy/runs/${run()}?tenant_id=${'t'.repeat(255)}`);
    expect(res.status).toBe(404);
    expect(body).toEqual({ code: 'not_found', message: 'taxonomy run not found' });
  });

  test.each(['not-a-uuid', '123', `${randomUUID()}x`])('run_id %s is a 400 in the TaxonomyError shape', async (id) => {
    const { res, body } = await get(`/v1/taxonomy/runs/${id}?tenant_id=tnt_acme`);
    expect(res.status).toBe(400);
    expect(spec.validate('taxonomyGetRun', 400, body)).toMatchObject({ valid: true });
    expect(body.message).toContain('run_id');
  });

  test('an unknown query parameter is a 400', async () => {
    const { res, body } = await get(`/v1/taxonomy/runs/${run()}?tenant_id=tnt_acme&verbose=1`);
    expect(res.status).toBe(400);
    expect(spec.validate('taxonomyGetRun', 400, body)).toMatchObject({ valid: true });
  });

  test('an unknown path under the base path is a 404 in the taxonomy shape', async () => {
    const { res, body } = await get('/v1/taxonomy/nothing-here?tenant_id=tnt_acme');
    expect(res.status).toBe(404);
    expect(spec.validate('taxonomyGetRun', 404, body)).toMatchObject({ valid: true });
  });
});

describe('taxonomy auth', () => {
  const path = () => runOf(acme, 'succeeded').path;

  async function expectUnauthorized(headers: Record<string, string>, message: string, target = path()) {
    const res = await server.get(target, headers);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const body = await res.json();
    expect(spec.validate('taxonomyGetRun', 401, body)).toMatchObject({ valid: true });
    expect(body).toEqual({ code: 'unauthorized', message });
  }
  const MISSING = 'missing bearer API key';
  const INVALID = 'invalid API key';

  test('no Authorization header is a 401', () => expectUnauthorized({}, MISSING));
  test('a header that is not a Bearer token is a 401', () =>
    expectUnauthorized({ authorization: 'Basic dXNlcjpw' }, MISSING));
  test('a Bearer header without a token is a 401', () => expectUnauthorized({ authorization: 'Bearer' }, INVALID));
  test('an unknown key is a 401', () => expectUnauthorized(bearer('txh_not_a_real_key'), INVALID));

  test("another API's key (the samples demo key) is a 401", async () => {
    const samplesKey = server.demo.samples?.[0]?.apiKey ?? '';
    expect(samplesKey).not.toBe('');
    await expectUnauthorized(bearer(samplesKey), INVALID);
  });

  test('a revoked taxonomy key is a 401', async () => {
    await insertKey(server.store.db, { api: 'taxonomy', tenantId: 'tnt_acme', subject: 'revoked' }, 'txh_revoked_1');
    await server.store.db.query(`UPDATE api_keys SET revoked_at = now() WHERE subject = 'revoked'`);
    await expectUnauthorized(bearer('txh_revoked_1'), INVALID);
  });

  test('credentials are checked before input: a bad key with no tenant_id is a 401, not a 400', () =>
    expectUnauthorized(bearer('txh_not_a_real_key'), INVALID, '/v1/taxonomy/runs/not-a-uuid'));
});

describe('taxonomy response validation', () => {
  test('a handler that answers null for an optional field is caught and answered as the 500 shape', async () => {
    const faulty = await server.sibling({
      handlerOverrides: {
        taxonomyGetRun: async ({ params, res, db, principal }) => {
          const run = await getRun(db, principal.tenantId, principal.tenantId, String(params.run_id));
          res.json({ ...run, error: null });
        },
      },
    });
    try {
      const [tenant] = faulty.demo.taxonomy as [DemoTenant];
      const res = await faulty.get(runOf(tenant, 'pending').path, bearer(tenant.apiKey));
      expect(res.status).toBe(500);
      const body = await res.json();
      expect(spec.validate('taxonomyGetRun', 500, body)).toMatchObject({ valid: true });
      expect(body.code).toBe('internal_error');
    } finally {
      await faulty.close();
    }
  });
});
