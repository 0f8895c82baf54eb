import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ApiName, DemoTenant } from '../../server/core/types.ts';
import { createFinalBodyWriter, demoReads } from '../../server/store-final-bodies.ts';
import { GET_OPERATION, tenantHeaders as headersOf, TERMINAL_STATUSES } from '../helpers/apis.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { API_NAMES, specValidator } from '../helpers/spec.ts';
import { storedRow as row, storedRows as rows, type StoredBodyRow } from '../helpers/stored-bodies.ts';

let first: TestServer;

beforeAll(async () => {
  first = await startTestServer();
});
afterAll(() => first.close());

const tenantOf = (api: ApiName, index = 0): DemoTenant => {
  const tenant = first.demo[api]?.[index];
  if (!tenant) throw new Error(`no demo tenant ${index} for ${api}`);
  return tenant;
};
const terminalRun = (tenant: DemoTenant) => {
  const run = tenant.runs.find((r) => TERMINAL_STATUSES.has(r.status));
  if (!run) throw new Error(`no terminal run for ${tenant.tenant}`);
  return run;
};
const storedRows = (path: string) => rows(first.store.db, path);
const storedRow = (path: string, server: TestServer = first) => row(server, path);
/**
 * Runs `read` on a new app (a restarted process) while the stored body of `stored` is replaced by
 * a marked copy, which only a read of the stored row can answer (the run's own rows say otherwise).
 */
async function withMarkedBody(stored: StoredBodyRow, read: (restarted: TestServer, marked: string) => Promise<void>) {
  const marked = JSON.stringify({ ...JSON.parse(stored.body), stored_marker: true });
  await first.store.db.query('UPDATE final_bodies SET body = $1 WHERE key = $2', [marked, stored.key]);
  const restarted = await first.sibling();
  try {
    await read(restarted, marked);
  } finally {
    await restarted.close();
    await first.store.db.query('UPDATE final_bodies SET body = $1 WHERE key = $2', [stored.body, stored.key]);
  }
}
/** Workflows wraps the run in a per-request meta (request id, time): only `data` is the run's. */
const runPart = (api: ApiName, text: string): string =>
  api === 'workflows' ? JSON.stringify((JSON.parse(text) as { data: unknown }).data) : text;

describe.each(API_NAMES)('%s: a terminal run’s body outlives the process that rendered it', (api) => {
  test('the first answer is stored with its ETag, and another process answers the stored bytes', async () => {
    const tenant = tenantOf(api);
    const run = terminalRun(tenant);
    const res = await first.get(run.path, headersOf(tenant));
    const text = await res.text();
    expect(res.status).toBe(200);
    const row = await storedRow(run.path);
    expect(row.key).toBe(`${GET_OPERATION[api]}\n${tenant.tenant}\n${run.path}`);
    expect(row.etag).toBe(res.headers.get('etag'));
    expect(row.body).toBe(runPart(api, text));

    await withMarkedBody(row, async (restarted, marked) => {
      const again = await restarted.get(run.path, headersOf(tenant));
      expect(again.status).toBe(200);
      expect(again.headers.get('etag')).toBe(row.etag);
      expect(runPart(api, await again.text())).toBe(marked);
    });
  });

  test('a stored body of another version (contracts or code changed since) is not served, and is replaced', async () => {
    const tenant = tenantOf(api);
    const run = terminalRun(tenant);
    expect((await first.get(run.path, headersOf(tenant))).status).toBe(200);
    const row = await storedRow(run.path);
    await first.store.db.query(
      `UPDATE final_bodies SET version = 'an-older-build', body = '{"old":true}' WHERE key = $1`,
      [row.key],
    );
    const restarted = await first.sibling();
    try {
      const res = await restarted.get(run.path, headersOf(tenant));
      expect(res.status).toBe(200);
      const body = await res.text();
      expect(runPart(api, body)).toBe(row.body);
      expect(specValidator(api).validate(GET_OPERATION[api], 200, JSON.parse(body))).toMatchObject({ valid: true });
      expect(await storedRow(run.path, restarted)).toEqual(row);
    } finally {
      await restarted.close();
    }
  });

  test('a run that is not terminal is never stored', async () => {
    const tenant = tenantOf(api);
    const open = tenant.runs.filter((r) => !TERMINAL_STATUSES.has(r.status));
    expect(open.length).toBeGreaterThan(0);
    for (const run of open) await (await first.get(run.path, headersOf(tenant))).text();
    await first.settled();
    for (const run of open) expect(await storedRows(run.path)).toEqual([]);
  });
});

describe('stored bodies keep to their tenant and step aside for planted handlers', () => {
  test("another tenant's key on a stored run's URL is that tenant's 404", async () => {
    const owner = tenantOf('samples', 0);
    const other = tenantOf('samples', 1);
    const run = terminalRun(owner);
    expect((await first.get(run.path, headersOf(owner))).status).toBe(200);
    await storedRow(run.path);
    const restarted = await first.sibling();
    try {
      const res = await restarted.get(run.path, headersOf(other));
      expect(res.status).toBe(404);
      expect(specValidator('samples').validate('samplesGetRunSummary', 404, await res.json())).toMatchObject({
        valid: true,
      });
    } finally {
      await restarted.close();
    }
  });

  test('an app with a replaced handler runs it, whatever is stored', async () => {
    const tenant = tenantOf('matching');
    const run = terminalRun(tenant);
    expect((await first.get(run.path, headersOf(tenant))).status).toBe(200);
    await storedRow(run.path);
    const planted = await first.sibling({
      handlerOverrides: {
        matchingGetRun: () => {
          throw new Error('planted');
        },
      },
    });
    try {
      expect((await planted.get(run.path, headersOf(tenant))).status).toBe(500);
    } finally {
      await planted.close();
    }
  });
});

// Which path answers (the front door's or Express's) is front-door.test.ts's to tell; here, the bytes.
describe('a client that has read one run, on its first read of another stored run', () => {
  test.each(API_NAMES)('%s: the stored bytes answer, with their ETag', async (api) => {
    const tenant = tenantOf(api);
    const runs = tenant.runs.filter((r) => TERMINAL_STATUSES.has(r.status));
    const [one, two] = runs;
    if (!one || !two) throw new Error(`${api}: fewer than two terminal demo runs`);
    for (const run of [one, two]) await (await first.get(run.path, headersOf(tenant))).text();
    const row = await storedRow(two.path);
    await withMarkedBody(row, async (restarted, marked) => {
      expect((await restarted.get(one.path, headersOf(tenant))).status).toBe(200);
      const res = await restarted.get(two.path, headersOf(tenant));
      expect(res.status).toBe(200);
      expect(res.headers.get('etag')).toBe(row.etag);
      expect(runPart(api, await res.text())).toBe(marked);
    });
  });
});

describe('a starting process fills memory with the stored bodies (preload)', () => {
  /** Every API's terminal demo runs of tenant 0, read once by the first server (so stored). */
  async function storeAll() {
    const runs = API_NAMES.flatMap((api) =>
      tenantOf(api)
        .runs.filter((r) => TERMINAL_STATUSES.has(r.status))
        .map((run) => ({ api, run, tenant: tenantOf(api) })),
    );
    for (const { run, tenant } of runs) await (await first.get(run.path, headersOf(tenant))).text();
    await first.settled();
    return runs;
  }

  test.each(API_NAMES)('%s: a first read after the preload is answered from memory, not the store', async (api) => {
    await storeAll();
    const tenant = tenantOf(api);
    const run = terminalRun(tenant);
    const row = await storedRow(run.path);
    const restarted = await first.sibling();
    try {
      expect(await restarted.preload()).toBeGreaterThan(0);
      // Marked in the store after the preload: only a read of the store could answer the mark.
      const marked = JSON.stringify({ ...JSON.parse(row.body), stored_marker: true });
      await first.store.db.query('UPDATE final_bodies SET body = $1 WHERE key = $2', [marked, row.key]);
      const res = await restarted.get(run.path, headersOf(tenant));
      expect(res.status).toBe(200);
      expect(res.headers.get('etag')).toBe(row.etag);
      expect(runPart(api, await res.text())).toBe(row.body);
    } finally {
      await first.store.db.query('UPDATE final_bodies SET body = $1 WHERE key = $2', [row.body, row.key]);
      await restarted.close();
    }
  });

  test('it loads every body of this version, none of another, and stops at its byte budget', async () => {
    await storeAll();
    const [{ version } = { version: '' }] = await first.store.db.query<{ version: string }>(
      'SELECT version FROM final_bodies LIMIT 1',
    );
    await first.store.db.query(
      "INSERT INTO final_bodies (key, version, etag, body) VALUES ('old\nt\n/x', 'an older version', '\"x\"', '{}')",
    );
    try {
      const current = await first.store.db.query<{ n: number; smallest: number }>(
        'SELECT count(*)::int AS n, min(octet_length(body))::int AS smallest FROM final_bodies WHERE version = $1',
        [version],
      );
      const [{ n, smallest } = { n: 0, smallest: 0 }] = current;
      expect(n).toBeGreaterThan(API_NAMES.length);
      const all = await first.sibling();
      const none = await first.sibling();
      try {
        expect(await all.preload()).toBe(n);
        // A budget smaller than the smallest body loads nothing.
        expect(await none.preload(smallest - 1)).toBe(0);
      } finally {
        await all.close();
        await none.close();
      }
    } finally {
      await first.store.db.query("DELETE FROM final_bodies WHERE version = 'an older version'");
    }
  });
});

describe('the final-body writer (bodies stored when runs are written)', () => {
  test('a refused read (a wrong key) and a run still open store nothing, and are reported so', async () => {
    const tenant = tenantOf('samples', 1);
    const done = terminalRun(tenant);
    const open = tenant.runs.find((r) => r.status === 'running');
    if (!open) throw new Error('no running samples run');
    const writer = createFinalBodyWriter(first.store.db);
    try {
      const outcome = await writer.store([
        ...demoReads('samples', { ...tenant, apiKey: 'smp_not_a_key' }, [done.path]),
        ...demoReads('samples', tenant, [open.path]),
      ]);
      expect(outcome).toMatchObject({
        stored: 0,
        skipped: 0,
        refused: [{ path: done.path, status: 401 }],
        failed: [{ path: open.path, error: expect.stringMatching(/not stored/) }],
      });
    } finally {
      await writer.close();
    }
    expect(await storedRows(done.path)).toEqual([]);
    expect(await storedRows(open.path)).toEqual([]);
  });

  test('bodies already stored at this version are not read again; after close() nothing is read', async () => {
    const tenant = tenantOf('matching', 1);
    const paths = tenant.runs.filter((r) => TERMINAL_STATUSES.has(r.status)).map((r) => r.path);
    expect(paths.length).toBeGreaterThan(1);
    const writer = createFinalBodyWriter(first.store.db);
    const once = await writer.store(demoReads('matching', tenant, paths));
    expect(once).toEqual({ stored: paths.length, skipped: 0, refused: [], failed: [] });
    const before = await Promise.all(paths.map((path) => storedRows(path)));
    const twice = await writer.store(demoReads('matching', tenant, paths));
    expect(twice).toEqual({ stored: 0, skipped: paths.length, refused: [], failed: [] });
    await writer.settled();
    await writer.close();
    const closed = await writer.store(demoReads('matching', tenant, paths.slice(0, 1)));
    // Skipping needs no app, but a closed writer does not even look.
    expect(closed.failed).toEqual([{ path: paths[0], error: 'the writer was closed' }]);
    expect(await Promise.all(paths.map((path) => storedRows(path)))).toEqual(before);
  });
});
