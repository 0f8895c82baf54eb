/**
 * What a frontend does with the samples API: list the newest runs, then show one run's summary.
 *
 *   npx tsx examples/list-and-show.ts                      # against a Prism mock it starts itself
 *   npx tsx examples/list-and-show.ts --url http://localhost:3000 --key smp_demo_ccextractor_6b1f0c2e9a
 *   RUN_API_URL=... RUN_API_KEY=... npx tsx examples/list-and-show.ts [--run 101] [--scenario run_with_failures]
 */
import { parseArgs } from 'node:util';
import { ApiError, createSamplesClient, unwrap } from '../client/index.ts';
import { type RunningMock, startMock } from '../mocks/prism.ts';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.RUN_API_URL },
    key: { type: 'string', default: process.env.RUN_API_KEY },
    run: { type: 'string' },
    scenario: { type: 'string' },
  },
});

let mock: RunningMock | undefined;
if (!values.url) {
  mock = await startMock();
  console.log(`No --url: started a Prism mock on ${mock.url}`);
}
const samples = createSamplesClient({
  baseUrl: values.url ?? mock?.url ?? '',
  // Prism accepts any bearer token; the server wants a real key (npm start prints the demo ones).
  token: values.key ?? 'mock-token',
  ...(mock && values.scenario ? { prefer: { example: values.scenario } } : {}),
});

try {
  const page = await unwrap(samples.GET('/api/v1/runs', { params: { query: { limit: 10 } } }));
  console.log('\nrun_id  status     created_at                failed');
  for (const run of page.data) {
    console.log(`${String(run.run_id).padEnd(7)} ${run.status.padEnd(10)} ${run.created_at.padEnd(25)} ${run.failed}`);
  }
  if (page.next_cursor) console.log(`(more: cursor ${page.next_cursor})`);

  const shown = page.data.find((run) => run.status === 'completed') ?? page.data[0];
  const runId = Number(values.run ?? shown?.run_id);
  if (!Number.isInteger(runId)) throw new Error('No run to show: the list is empty and --run was not given');
  const summary = await unwrap(samples.GET('/api/v1/runs/{run_id}/summary', { params: { path: { run_id: runId } } }));
  // Triage from the computed counts, never from the list's `failed` flag (it only means "canceled").
  const verdict = summary.fail_count > 0 ? `${summary.fail_count} failing` : 'all passing';
  console.log(`\nrun ${summary.run_id}: ${verdict} of ${summary.total_samples} samples`);
  console.log(summary);
} catch (error) {
  if (!(error instanceof ApiError)) throw error;
  console.error(`HTTP ${error.status} (request ${error.requestId ?? 'n/a'}):`, error.body);
  process.exitCode = 1;
} finally {
  await mock?.close();
}
