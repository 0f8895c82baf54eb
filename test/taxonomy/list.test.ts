import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { taxonomyApi } from '../../server/apis/taxonomy/index.ts';
import type { DemoTenant } from '../../server/core/types.ts';
import { bearer, startTestServer, type TestServer } from '../helpers/server.ts';
import { specValidator } from '../helpers/spec.ts';

const spec = specValidator('taxonomy');
type Page = {
  data: Array<{ id: string; status: string; field_id: string; tenant_id: string }>;
  next_cursor: string | null;
};
let server: TestServer;
let acme: DemoTenant;
let globex: DemoTenant;

beforeAll(async () => {
  server = await startTestServer({ apis: [taxonomyApi], rateLimit: { limit: 10_000 } });
  [acme, globex] = server.demo.taxonomy as [DemoTenant, DemoTenant];
});
afterAll(() => server.close());

async function list(query: string, key = acme.apiKey) {
  const res = await server.get(`/v1/taxonomy/runs?${query}`, bearer(key));
  const body = (await res.json()) as Page & Record<string, unknown>;
  expect(spec.validate('taxonomyListRuns', res.status, body)).toMatchObject({ valid: true });
  return { res, body };
}

/** The demo writes runs oldest first, so newest first is the manifest reversed. */
const newestFirst = (tenant: DemoTenant) => tenant.runs.map((r) => r.id).reverse();

describe('taxonomy run list', () => {
  test('pages newest first with a stable cursor until next_cursor is null', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const { res, body } = await list(`tenant_id=tnt_acme&limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(body.data.length).toBeLessThanOrEqual(4);
      seen.push(...body.data.map((r) => r.id));
      cursor = body.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(2);
    expect(seen).toEqual(newestFirst(acme));
  });

  test('the same cursor gives the same page twice', async () => {
    const first = await list('tenant_id=tnt_acme&limit=2');
    const cursor = first.body.next_cursor ?? '';
    const again = await list(`tenant_id=tnt_acme&limit=2&cursor=${cursor}`);
    const twice = await list(`tenant_id=tnt_acme&limit=2&cursor=${cursor}`);
    expect(again.body).toEqual(twice.body);
    expect(again.body.data.map((r) => r.id)).toEqual(newestFirst(acme).slice(2, 4));
  });

  test('the default page holds every demo run of the tenant and no other', async () => {
    const { body } = await list('tenant_id=tnt_globex', globex.apiKey);
    expect(body.data.map((r) => r.id)).toEqual(newestFirst(globex));
    expect(new Set(body.data.map((r) => r.tenant_id))).toEqual(new Set(['tnt_globex']));
    expect(body.next_cursor).toBeNull();
  });

  test('status narrows the list', async () => {
    const { body } = await list('tenant_id=tnt_acme&status=succeeded');
    expect(body.data).toHaveLength(2);
    expect(body.data.every((r) => r.status === 'succeeded')).toBe(true);
  });

  test('field_id narrows the list, and together with status a run must match both', async () => {
    const byField = await list('tenant_id=tnt_acme&field_id=fld_support_topic');
    expect(byField.body.data.map((r) => r.status).sort()).toEqual(['failed', 'running']);
    const both = await list('tenant_id=tnt_acme&field_id=fld_support_topic&status=failed');
    expect(both.body.data.map((r) => r.id)).toEqual([acme.runs.find((r) => r.status === 'failed')?.id]);
  });

  test('a filter nothing matches is an empty page', async () => {
    const { res, body } = await list('tenant_id=tnt_acme&field_id=fld_unknown');
    expect(res.status).toBe(200);
    expect(body).toEqual({ data: [], next_cursor: null });
  });

  test("a tenant_id other than the key's tenant is an empty page, not an error", async () => {
    const { res, body } = await list('tenant_id=tnt_globex');
    expect(res.status).toBe(200);
    expect(body).toEqual({ data: [], next_cursor: null });
  });

  test('tenant_id of 255 characters is accepted', async () => {
    const { res, body } = await list(`tenant_id=${'t'.repeat(255)}`);
    expect(res.status).toBe(200);
    expect(body).toEqual({ data: [], next_cursor: null });
  });

  test.each([
    ['tenant_id missing', 'limit=5'],
    ['tenant_id empty', 'tenant_id='],
    ['tenant_id of 256 characters', `tenant_id=${'t'.repeat(256)}`],
    ['limit 0', 'tenant_id=tnt_acme&limit=0'],
    ['limit 101', 'tenant_id=tnt_acme&limit=101'],
    ['limit not a number', 'tenant_id=tnt_acme&limit=ten'],
    ['an unknown status', 'tenant_id=tnt_acme&status=done'],
    ['an empty field_id', 'tenant_id=tnt_acme&field_id='],
    ['a cursor the API did not issue', 'tenant_id=tnt_acme&cursor=bm90LWEtY3Vyc29y'],
    ['a cursor longer than 512 characters', `tenant_id=tnt_acme&cursor=${'a'.repeat(513)}`],
  ])('%s is a 400 in the TaxonomyError shape', async (_case, query) => {
    const { res, body } = await list(query);
    expect(res.status).toBe(400);
    expect(body).toMatchObject({ code: 'bad_request' });
    expect(Object.keys(body).sort()).toEqual(['code', 'message']);
  });
});
