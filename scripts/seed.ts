/**
 * npm run seed -- --runs N [--per-run M] [--project P]: adds a larger deterministic dataset for
 * benchmarks to the store npm start uses (DATA_DIR or DATABASE_URL), in batches, with progress.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config.ts';
import { bulkSamples } from '../server/store/bulk/samples.ts';
import { migrate } from '../server/store/migrate.ts';
import { openStore } from '../server/store/open.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5000' },
    'per-run': { type: 'string', default: '200' },
    project: { type: 'string', default: 'ccextractor' },
    batch: { type: 'string', default: '250' },
  },
});
const runs = Number(values.runs);
const perRun = Number(values['per-run']);
const batch = Number(values.batch);
if (![runs, perRun, batch].every((n) => Number.isInteger(n) && n > 0)) {
  console.error('usage: npm run seed -- --runs N [--per-run M] [--project P] [--batch B]');
  process.exit(2);
}

function progress(done: number, total: number, started: number): void {
  if (!process.stdout.isTTY) return;
  const width = 30;
  const filled = Math.round((done / total) * width);
  const rate = Math.round(done / ((performance.now() - started) / 1000));
  process.stdout.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} runs, ${rate} runs/s`);
}

const config = loadConfig();
const db = await openStore({ databaseUrl: config.databaseUrl, dataDir: join(config.dataDir, 'pglite') });
await migrate(db);
const started = performance.now();
let rows = 0;
for (let done = 0; done < runs; done += batch) {
  const n = Math.min(batch, runs - done);
  rows += await db.transaction((tx) => bulkSamples(tx, values.project, n, perRun));
  progress(done + n, runs, started);
}
if (process.stdout.isTTY) process.stdout.write('\n');
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `samples: added ${runs} runs with ${rows} test results (plus result files) to ${values.project} in ${seconds}s`,
);
await db.close();
