import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { components } from '../../generated/matching.ts';
import { matchingApi } from '../../server/apis/matching/index.ts';
import type { DemoTenant } from '../../server/core/types.ts';
import { bearer, startTestServer, type TestServer } from '../helpers/server.ts';
import { specValidator } from '../helpers/spec.ts';

type RunList = components['schemas']['MatchingRunList'];

const spec = specValidator('matching');
let server: TestServer;
let tenantA: DemoTenant;
let tenantB: DemoTenant;

beforeAll(async () => {
  server = await startTestServer({ apis: [matchingApi] });
  const [a, b] = server.demo.matching ?? [];
  if (!a || !b) throw new Error('matching demo has two workspaces');
  tenantA = a;
  tenantB = b;
});
afterAll(() => server.close());

async function list(query: string, key = tenantA.apiKey) {
  const res = await server.get(`/v1/matching/runs${query}`, bearer(key));
  const body = (await res.json()) as RunList;
  expect(res.status).toBe(200);
  expect(spec.validate('matchingListRuns', 200, body)).toMatchObject({ valid: true });
  return body;
}

/** Every id of a listing, following next_cursor to the end. */
async function listAll(query: string, key = tenantA.apiKey): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let pages = 0;
  let cursor: string | null = null;
  do {
    const sep = query ? '&' : '?';
    const body = await list(`${query}${cursor ? `${sep}cursor=${cursor}` : ''}`, key);
    ids.push(...body.data.map((r) => r.id));
    cursor = body.next_cursor;
    pages += 1;
  } while (cursor);
  return { ids, pages };
}

const demoIds = (t: DemoTenant, status?: string) =>
  t.runs
    .filter((r) => !status || r.status === status)
    .map((r) => String(r.id))
    .reverse(); // seeded oldest first

describe('matching run list', () => {
  test("lists only the caller's workspace, newest first, on one page by default", async () => {
    const body = await list('');
    expect(body.data.map((r) => r.id)).toEqual(demoIds(tenantA));
    expect(body.next_cursor).toBeNull();
    const created = body.data.map((r) => r.created_at);
    expect(created).toEqual([...created].sort().reverse());
  });

  test('pages with limit and a cursor until next_cursor is null, without gaps or repeats', async () => {
    const { ids, pages } = await listAll('?limit=2');
    expect(pages).toBe(4);
    expect(ids).toEqual(demoIds(tenantA));
  });

  test('the cursor stays stable when a newer run is created between pages', async () => {
    const first = await list('?limit=3', tenantB.apiKey);
    const configId = first.data[0]?.matching_config_id ?? '';
    await server.store.db.query(
      `INSERT INTO matching_runs (id, workspace_id, matching_config_id, status, triggered_by, created_at)
       VALUES ('7f000000-0000-4000-8000-0000000000aa', $1, $2, 'queued', 'api', now())`,
      [tenantB.tenant, configId],
    );
    const second = await list(`?limit=3&cursor=${first.next_cursor}`, tenantB.apiKey);
    expect(second.data.map((r) => r.id)).toEqual(demoIds(tenantB).slice(3, 6));
    const fresh = await list('?limit=1', tenantB.apiKey);
    expect(fresh.data[0]?.id).toBe('7f000000-0000-4000-8000-0000000000aa');
  });

  test.each(['queued', 'running', 'completed', 'failed', 'cancelled', 'ai_resolving'])(
    'status=%s keeps only the runs in that status',
    async (status) => {
      const body = await list(`?status=${status}`);
      expect(body.data.map((r) => r.id)).toEqual(demoIds(tenantA, status));
      expect(body.data.every((r) => r.status === status)).toBe(true);
    },
  );

  test('matching_config_id keeps only the runs triggered by that config', async () => {
    const all = await list('');
    const configId = all.data.at(-1)?.matching_config_id ?? '';
    const body = await list(`?matching_config_id=${configId}`);
    const expected = all.data.filter((r) => r.matching_config_id === configId).map((r) => r.id);
    expect(expected.length).toBeGreaterThan(1);
    expect(expected.length).toBeLessThan(all.data.length);
    expect(body.data.map((r) => r.id)).toEqual(expected);
  });

  test('status and matching_config_id combine, and the filtered listing paginates', async () => {
    const all = await list('');
    const configId = all.data.at(-1)?.matching_config_id ?? '';
    const expected = all.data.filter((r) => r.matching_config_id === configId).map((r) => r.id);
    const completed = await list(`?status=completed&matching_config_id=${configId}`);
    expect(completed.data.map((r) => r.id)).toEqual(
      all.data.filter((r) => r.matching_config_id === configId && r.status === 'completed').map((r) => r.id),
    );
    const { ids, pages } = await listAll(`?matching_config_id=${configId}&limit=1`);
    expect(ids).toEqual(expected);
    expect(pages).toBe(expected.length);
  });

  test("a config of another workspace, or an unknown one, yields an empty page, not the other's runs", async () => {
    const foreignConfig = (await list('', tenantB.apiKey)).data[0]?.matching_config_id;
    expect(await list(`?matching_config_id=${foreignConfig}`)).toEqual({ data: [], next_cursor: null });
    expect(await list('?matching_config_id=7f000000-0000-4000-8000-00000000ffff')).toEqual({
      data: [],
      next_cursor: null,
    });
  });

  test('list items carry the same counters as the run detail, without results', async () => {
    for (const item of (await list('')).data) {
      const res = await server.get(`/v1/matching/runs/${item.id}`, bearer(tenantA.apiKey));
      const { results, ...detail } = (await res.json()) as components['schemas']['MatchingRunDetail'];
      expect(item).toEqual(detail);
      expect(item).not.toHaveProperty('results');
    }
  });
});
