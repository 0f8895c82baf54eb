/**
 * npm run seed -- --runs N [--per-run M] [--api samples] [--batch B] [--no-store-bodies]: adds a
 * larger deterministic dataset for benchmarks to the store npm start uses (DATA_DIR or
 * DATABASE_URL), to the first demo tenant of each API, in batched statements, with a progress bar
 * on a terminal. Then it renders each terminal run's body once and stores it (final_bodies), so the
 * server's first read of any of them is one primary-key read; --no-store-bodies leaves that to
 * the first reads.
 */
import { join } from 'node:path';
import { DEMO_JWT_SECRET, loadConfig } from '../server/config.ts';
import { migrate } from '../server/store/migrate.ts';
import { openStore } from '../server/store/open.ts';
import { parseSeedArgs, SEED_USAGE, seedBulk } from './seed-bulk.ts';

const options = parseSeedArgs(process.argv.slice(2));
if (!options) {
  console.error(SEED_USAGE);
  process.exit(2);
}

let current = '';
let started = 0;
function progress(api: string, done: number): void {
  if (!process.stdout.isTTY || !options) return;
  if (api !== current) [current, started] = [api, performance.now()];
  const width = 30;
  const filled = Math.round((done / options.runs) * width);
  const rate = Math.round(done / Math.max(0.001, (performance.now() - started) / 1000));
  process.stdout.write(
    `\r${api.padEnd(9)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${options.runs} runs, ${rate} runs/s`,
  );
  if (done === options.runs) process.stdout.write('\n');
}

const config = loadConfig();
const db = await openStore({ databaseUrl: config.databaseUrl, dataDir: join(config.dataDir, 'pglite') });
await migrate(db);
const report = await seedBulk(db, { ...options, jwtSecret: config.jwtSecret ?? DEMO_JWT_SECRET }, progress);
for (const s of report.seeded)
  console.log(`${s.api}: added ${s.runs} runs (${s.rows} rows) for ${s.tenant} in ${s.seconds.toFixed(1)}s`);
console.log('analyzed');
if (report.bodies) {
  const { stored, skipped, refused, failed, seconds } = report.bodies;
  console.log(`stored ${stored} final bodies in ${seconds.toFixed(1)}s (${skipped} already stored)`);
  for (const { path, status } of refused.slice(0, 5)) console.error(`  ${path}: ${status}, not stored`);
  for (const { path, error } of failed.slice(0, 5)) console.error(`  ${path}: ${error}`);
}
await db.close();
