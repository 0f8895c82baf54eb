import { afterAll, beforeAll, expect, test } from 'vitest';
import { bulkSamples } from '../../server/store/bulk/samples.ts';
import { seedSamplesDemo } from '../../server/store/demo/samples.ts';
import { RUN_SUMMARY_SQL } from '../../server/store/samples.ts';
import { openTestStore, type TestStore } from '../helpers/store.ts';

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore();
  await seedSamplesDemo(store.db);
  await bulkSamples(store.db, 'ccextractor', 300, 200);
  await store.db.query('ANALYZE');
});
afterAll(() => store.close());

// The plan, not a timing: a million rows later the summary must still read one run's rows by index.
test('the run summary reads its result and file rows through indexes, never a whole table', async () => {
  const plan = (await store.db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${RUN_SUMMARY_SQL}`, [101, 'ccextractor']))
    .map((r) => r['QUERY PLAN'])
    .join('\n');
  expect(plan).not.toMatch(/Seq Scan on samples_(test_results|result_files|runs)/);
  expect(plan).toMatch(/Index Scan using samples_result_files_result/);
});
