/**
 * npm run bench:pglite-1m: the scale series' last step for all five APIs on PGlite, 1,000,000
 * underlying rows each, sequential seed-operation latency, 50 list pages and the plans. Apart from
 * `npm run bench` because PGlite takes four to five minutes to generate those rows on two cores,
 * which would take that run past its ten minutes (it seeds telemetry alone to 1M on PGlite).
 * Writes bench/results/pglite-1m.{md,json}; the main report reads the json for its PGlite target.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scalePlans, scaleTable } from './lib/scale-table.ts';

// Read by bench/lib/scale.ts when it loads: every API, not telemetry alone, reaches 1M rows.
process.env.BENCH_PGLITE_1M = 'all';
const { runScale } = await import('./lib/scale.ts');

const started = performance.now();
const seconds = () => Math.round((performance.now() - started) / 1000);
const log = (msg: string) => console.log(`[${String(seconds()).padStart(3)}s] ${msg}`);
const work = mkdtempSync(join(tmpdir(), 'run-api-contracts-pglite-1m-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

const scale = await runScale({ work, steps: [1_000_000], databaseUrl: undefined, quick: false, log });
const data = {
  date: new Date().toISOString(),
  node: process.version,
  cores: cpus().length,
  cpu: cpus()[0]?.model ?? 'unknown',
  seconds: seconds(),
  scale,
};
const points = scale.flatMap((s) => s.points);
const worst = [...points].sort((a, b) => b.seed.p99 - a.seed.p99)[0];
const md = [
  '# PGlite at 1,000,000 rows, every seed operation',
  '',
  `${data.date} · Node ${data.node} · ${data.cores} cores (${data.cpu.split(' ').slice(0, 2).join(' ')}) · took ${data.seconds} s`,
  '',
  'Each API seeded to 1,000,000 underlying rows on one PGlite folder (`npm run bench:pglite-1m`), then its',
  'seed operation read sequentially for 2 s on its largest run through the server with the body cache',
  'off, so every read queries the store; the list read 50 pages deep. Target: every seed operation',
  `< 20 ms p99. Highest p99: ${worst ? `${worst.seed.p99} ms (${worst.api})` : 'n/a'}.`,
  '',
  ...scaleTable(scale),
  '',
  '## EXPLAIN ANALYZE of each seed operation on its largest run',
  '',
  ...scalePlans(scale),
];
const results = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(results, { recursive: true });
writeFileSync(join(results, 'pglite-1m.json'), `${JSON.stringify(data, null, 2)}\n`);
writeFileSync(join(results, 'pglite-1m.md'), `${md.join('\n')}\n`);
log('wrote bench/results/pglite-1m.md and pglite-1m.json');
process.exit(0);
