/**
 * npm run seed -- --runs N [--per-run M] [--api samples] [--batch B] [--store-bodies]: adds a larger
 * deterministic dataset for benchmarks to the store npm start uses (DATA_DIR or DATABASE_URL), to
 * the first demo tenant of each API, in batched statements, with a progress bar on a terminal.
 * --store-bodies then renders each terminal run's body once and stores it (final_bodies), so the
 * server's first read of any of them is one primary-key read.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { registry } from '../server/apis/registry.ts';
import { DEMO_JWT_SECRET, loadConfig } from '../server/config.ts';
import type { ApiModule, DemoTenant } from '../server/core/types.ts';
import { BULK_SEEDERS } from '../server/store/bulk/index.ts';
import { migrate } from '../server/store/migrate.ts';
import { openStore } from '../server/store/open.ts';
import { storeFinalBodies } from '../server/store-final-bodies.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5000' },
    'per-run': { type: 'string', default: '200' },
    api: { type: 'string', multiple: true },
    batch: { type: 'string', default: '250' },
    'store-bodies': { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const perRun = Number(values['per-run']);
const batch = Number(values.batch);
const apis = registry.filter((api) => BULK_SEEDERS[api.name] && (!values.api || values.api.includes(api.name)));
if (![runs, perRun, batch].every((n) => Number.isInteger(n) && n > 0) || apis.length === 0) {
  console.error(
    `usage: npm run seed -- --runs N [--per-run M] [--batch B] [--store-bodies] [--api ${Object.keys(BULK_SEEDERS).join('|')}]...`,
  );
  process.exit(2);
}

function progress(label: string, done: number, total: number, started: number): void {
  if (!process.stdout.isTTY) return;
  const width = 30;
  const filled = Math.round((done / total) * width);
  const rate = Math.round(done / Math.max(0.001, (performance.now() - started) / 1000));
  process.stdout.write(
    `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} runs, ${rate} runs/s`,
  );
}

const config = loadConfig();
/** The demo tenant (its key opens the bulk runs) of each API whose bodies --store-bodies stores. */
const bodies: Array<{ api: ApiModule; tenant: DemoTenant }> = [];
const db = await openStore({ databaseUrl: config.databaseUrl, dataDir: join(config.dataDir, 'pglite') });
await migrate(db);
for (const api of apis) {
  const seeder = BULK_SEEDERS[api.name];
  // The demo tenants own the bulk rows, so the demo keys open them.
  const demo = (await api.seedDemo(db))[0];
  const tenant = demo?.tenant;
  if (!seeder || !demo || !tenant) continue;
  const started = performance.now();
  let rows = 0;
  for (let done = 0; done < runs; done += batch) {
    const n = Math.min(batch, runs - done);
    rows += await db.transaction((tx) => seeder(tx, tenant, n, perRun));
    progress(api.name.padEnd(9), done + n, runs, started);
  }
  if (process.stdout.isTTY) process.stdout.write('\n');
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`${api.name}: added ${runs} runs (${rows} rows) for ${tenant} in ${seconds}s`);
  if (values['store-bodies']) bodies.push({ api, tenant: demo });
}
// Fresh statistics for the planner: without them (autovacuum may be off or behind) a bulk-loaded
// table is planned as if empty or tiny, e.g. samples' summary went from 3 ms to 245 ms.
await db.exec('ANALYZE');
console.log('analyzed');
if (bodies.length > 0) {
  // One app renders every API's bodies.
  const started = performance.now();
  const reads = [];
  for (const { api, tenant } of bodies) {
    const paths = await api.finalRunPaths(db, tenant.tenant, Number.MAX_SAFE_INTEGER);
    const headers = { authorization: `Bearer ${tenant.apiKey}`, ...(tenant.headers ?? {}) };
    reads.push(...paths.map((path) => ({ path, headers })));
  }
  const { refused } = await storeFinalBodies(db, reads, { jwtSecret: config.jwtSecret ?? DEMO_JWT_SECRET });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`stored ${reads.length - refused.length} final bodies in ${seconds}s`);
  for (const { path, status } of refused.slice(0, 5)) console.error(`  ${path}: ${status}, not stored`);
}
await db.close();
