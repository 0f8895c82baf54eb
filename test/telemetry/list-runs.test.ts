import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { telemetryApi } from '../../server/apis/telemetry/index.ts';
import { bearer, startTestServer, type TestServer } from '../helpers/server.ts';
import { specValidator } from '../helpers/spec.ts';
import { acme, globex } from './demo-run-ids.ts';

const spec = specValidator('telemetry');
let server: TestServer;
let keyA: string;
let keyB: string;

type Item = { run_id: string; schema_id: string; status: string; created_at: string; completed_at: string | null };
type Page = { data: Item[]; next_cursor: string | null };

beforeAll(async () => {
  server = await startTestServer({ apis: [telemetryApi] });
  const [a, b] = server.demo.telemetry ?? [];
  keyA = a?.apiKey ?? '';
  keyB = b?.apiKey ?? '';
});
afterAll(() => server.close());

async function list(query: string, key = keyA) {
  const res = await server.get(`/v1/telemetry/runs${query}`, bearer(key));
  return { res, body: (await res.json()) as Page & Record<string, unknown> };
}

/** Follows next_cursor to the end, checking every page against the spec. */
async function all(filters: string, limit: number, key = keyA): Promise<Item[][]> {
  const pages: Item[][] = [];
  let cursor: string | null = null;
  do {
    const { res, body } = await list(`?limit=${limit}${filters}${cursor ? `&cursor=${cursor}` : ''}`, key);
    expect(res.status).toBe(200);
    expect(spec.validate('telemetryListRuns', 200, body)).toMatchObject({ valid: true });
    pages.push(body.data);
    cursor = body.next_cursor;
  } while (cursor);
  return pages;
}

describe('telemetry run list', () => {
  test('pages newest first with a stable cursor until next_cursor is null', async () => {
    const pages = await all('', 3);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 2]);
    expect(pages.flat().map((r) => r.run_id)).toEqual([8, 7, 6, 5, 4, 3, 2, 1].map(acme));
  });

  test('the same cursor gives the same page when asked again', async () => {
    const first = await list('?limit=2');
    const cursor = first.body.next_cursor;
    expect(cursor).toEqual(expect.any(String));
    const again = await list(`?limit=2&cursor=${cursor}`);
    const twice = await list(`?limit=2&cursor=${cursor}`);
    expect(again.body).toEqual(twice.body);
    expect(again.body.data.map((r) => r.run_id)).toEqual([acme(6), acme(5)]);
  });

  test('completed_at is set for finished runs and null for pending or running ones', async () => {
    const runs = (await all('', 100)).flat();
    for (const r of runs) {
      expect(r.completed_at === null).toBe(r.status === 'pending' || r.status === 'running');
    }
    expect(runs.find((r) => r.run_id === acme(1))).toEqual({
      run_id: acme(1),
      schema_id: 'sch-uuid-1',
      status: 'completed',
      created_at: '2026-03-02T08:00:00.000Z',
      completed_at: '2026-03-02T13:00:00.000Z',
    });
  });

  test('status filters the list, across pages', async () => {
    const runs = (await all('&status=completed', 1)).flat();
    expect(runs.map((r) => r.run_id)).toEqual([acme(7), acme(6), acme(2), acme(1)]);
  });

  test('schema_id filters the list', async () => {
    const runs = (await all('&schema_id=sch-uuid-1', 2)).flat();
    expect(runs.map((r) => r.run_id)).toEqual([acme(4), acme(3), acme(2), acme(1)]);
  });

  test('status and schema_id combine', async () => {
    const runs = (await all('&schema_id=sch-uuid-1&status=completed', 1)).flat();
    expect(runs.map((r) => r.run_id)).toEqual([acme(2), acme(1)]);
  });

  test('never lists a run of another organization', async () => {
    const ids = (await all('', 100, keyB)).flat().map((r) => r.run_id);
    expect(ids).toEqual([5, 4, 3, 2, 1].map(globex));
  });

  test('no matching run is an empty page, not a 404', async () => {
    const { res, body } = await list('?schema_id=sch-shipments-v1');
    expect(res.status).toBe(200);
    expect(body).toEqual({ data: [], next_cursor: null });
  });

  test('the default page size is 20 and a full last page has a null cursor', async () => {
    const { body } = await list('');
    expect(body.data).toHaveLength(8);
    expect(body.next_cursor).toBeNull();
    expect((await list('?limit=8')).body.next_cursor).toBeNull();
  });

  test.each([
    ['?limit=0', 'limit'],
    ['?limit=101', 'limit'],
    ['?limit=ten', 'limit'],
    ['?status=done', 'status'],
    ['?schema_id=', 'schema_id'],
    [`?schema_id=${'s'.repeat(256)}`, 'schema_id'],
    [`?cursor=${'c'.repeat(513)}`, 'cursor'],
    ['?unknown=1', 'unknown'],
  ])('%s is a 400 in the telemetry error shape', async (query, parameter) => {
    const { res, body } = await list(query);
    expect(res.status).toBe(400);
    expect(spec.validate('telemetryListRuns', 400, body)).toMatchObject({ valid: true });
    expect(body).toMatchObject({ error: { code: 'bad_request' } });
    expect((body.error as { message: string }).message).toContain(parameter);
  });

  test.each([
    ['not base64 json', 'bm90LWEtY3Vyc29y'],
    ['a position whose id is not a uuid', Buffer.from('["2026-03-02T08:00:00.000Z","1"]').toString('base64url')],
    [
      'a position on February 31st',
      Buffer.from(`["2026-02-31T00:00:00.000Z",${JSON.stringify(acme(1))}]`).toString('base64url'),
    ],
    [
      'a position whose time is not ours',
      Buffer.from(`["+275760-09-13",${JSON.stringify(acme(1))}]`).toString('base64url'),
    ],
  ])('a cursor the API did not issue (%s) is a 400', async (_why, cursor) => {
    const { res, body } = await list(`?cursor=${cursor}`);
    expect(res.status).toBe(400);
    expect(spec.validate('telemetryListRuns', 400, body)).toMatchObject({ valid: true });
    expect(body).toEqual({
      error: { code: 'bad_request', message: 'The cursor is malformed or was not issued by this API.' },
    });
  });
});
