import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type TaxonomyRunStatus, TaxonomyTransitionError, transitionRun } from '../../server/store/taxonomy.ts';
import { openTestStore, type TestStore } from '../helpers/store.ts';

const STATUSES: TaxonomyRunStatus[] = ['pending', 'running', 'succeeded', 'failed', 'canceled'];
const ALLOWED = new Set([
  'pending>running',
  'pending>failed',
  'pending>canceled',
  'running>succeeded',
  'running>failed',
  'running>canceled',
]);
const TERMINAL = new Set<TaxonomyRunStatus>(['succeeded', 'failed', 'canceled']);
const PAIRS = STATUSES.flatMap((from) => STATUSES.map((to) => [from, to] as const));
const CREATED = '2026-01-01T00:00:00.000Z';

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore();
});
afterAll(() => store.close());

/** A run already in `status`, written straight to the table (inserts are not transitions). */
async function insertRun(status: TaxonomyRunStatus, tenant = 'tnt_t'): Promise<string> {
  const id = randomUUID();
  await store.db.query(
    `INSERT INTO taxonomy_runs (id, tenant_id, field_id, source_type, status, created_at, updated_at)
     VALUES ($1, $2, 'fld', 'manual', $3, $4, $4)`,
    [id, tenant, status, CREATED],
  );
  return id;
}

const readRow = async (id: string) =>
  (await store.db.query('SELECT * FROM taxonomy_runs WHERE id = $1', [id]))[0] as Record<string, unknown>;

describe('taxonomy run lifecycle (store)', () => {
  test.each(PAIRS.filter(([from, to]) => ALLOWED.has(`${from}>${to}`)))('%s -> %s is allowed', async (from, to) => {
    const id = await insertRun(from);
    const run = await transitionRun(store.db, 'tnt_t', id, to);
    expect(run?.status).toBe(to);
    expect(run?.updated_at).not.toBe(CREATED);
    expect(await readRow(id)).toMatchObject({ status: to });
    // The store answers a row: an unset column is null (the API leaves it out of the body).
    if (to === 'running') expect(run?.started_at).toEqual(expect.any(String));
    else expect(run?.started_at).toBeNull();
    if (TERMINAL.has(to)) expect(run?.finished_at).toEqual(expect.any(String));
    else expect(run?.finished_at).toBeNull();
  });

  test.each(PAIRS.filter(([from, to]) => !ALLOWED.has(`${from}>${to}`)))(
    '%s -> %s is refused and the row is left as it was',
    async (from, to) => {
      const id = await insertRun(from);
      const before = await readRow(id);
      const attempt = transitionRun(store.db, 'tnt_t', id, to, { record_count: 99, error: 'x' });
      await expect(attempt).rejects.toBeInstanceOf(TaxonomyTransitionError);
      await expect(attempt).rejects.toMatchObject({ runId: id, from, to });
      expect(await readRow(id)).toEqual(before);
    },
  );

  test('the database itself refuses an illegal status update, whoever writes it', async () => {
    const id = await insertRun('succeeded');
    await expect(store.db.query(`UPDATE taxonomy_runs SET status = 'running' WHERE id = $1`, [id])).rejects.toThrow(
      /illegal taxonomy run transition succeeded -> running/,
    );
    expect(await readRow(id)).toMatchObject({ status: 'succeeded' });
  });

  test('updates that leave status alone are not transitions', async () => {
    const id = await insertRun('running');
    await store.db.query('UPDATE taxonomy_runs SET embedding_count = 7 WHERE id = $1', [id]);
    expect(await readRow(id)).toMatchObject({ status: 'running', embedding_count: 7 });
  });

  test('a failing transition records the error, its code and the counters with it', async () => {
    const id = await insertRun('running');
    const run = await transitionRun(store.db, 'tnt_t', id, 'failed', {
      error: 'Taxonomy service timed out.',
      error_code: 'service_unavailable',
      record_count: 12,
      metrics: { attempts: 3 },
    });
    expect(run).toMatchObject({
      status: 'failed',
      error: 'Taxonomy service timed out.',
      error_code: 'service_unavailable',
      record_count: 12,
      metrics: { attempts: 3 },
    });
  });

  test("another tenant's run is not found and not touched", async () => {
    const id = await insertRun('pending', 'tnt_owner');
    expect(await transitionRun(store.db, 'tnt_intruder', id, 'running')).toBeUndefined();
    expect(await readRow(id)).toMatchObject({ status: 'pending', started_at: null });
  });

  test('a counter below zero is refused by the table', async () => {
    const id = await insertRun('pending');
    await expect(transitionRun(store.db, 'tnt_t', id, 'running', { record_count: -1 })).rejects.toThrow(
      /check constraint/,
    );
    expect(await readRow(id)).toMatchObject({ status: 'pending', record_count: 0 });
  });
});
