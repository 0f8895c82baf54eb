/**
 * npm run bench:pglite-scale: the scale series on PGlite for all five APIs at 10,000, 100,000 and
 * 1,000,000 underlying rows each: sequential seed-operation latency, 50 list pages, the plans on
 * the largest step. Apart from `npm run bench` because PGlite takes four to five minutes to
 * generate those rows on two cores, which would take that run past its ten minutes (there PGlite
 * runs 10,000 rows, and 1,000,000 for telemetry alone). Writes bench/results/pglite-scale.{md,json,svg};
 * the main report reads the json for its PGlite target.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scaleChart, scalePlans, scaleTable } from './lib/scale-table.ts';

// Read by bench/lib/scale.ts when it loads: every API reaches 1M rows, through every step.
process.env.BENCH_PGLITE_1M = 'all';
process.env.BENCH_PGLITE_100K = '1';
const { runScale } = await import('./lib/scale.ts');

const started = performance.now();
const seconds = () => Math.round((performance.now() - started) / 1000);
const log = (msg: string) => console.log(`[${String(seconds()).padStart(3)}s] ${msg}`);
const work = mkdtempSync(join(tmpdir(), 'run-api-contracts-pglite-scale-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

const scale = await runScale({ work, steps: [10_000, 100_000, 1_000_000], databaseUrl: undefined, quick: false, log });
const data = {
  date: new Date().toISOString(),
  node: process.version,
  cores: cpus().length,
  cpu: cpus()[0]?.model ?? 'unknown',
  seconds: seconds(),
  scale,
};
const points = scale.flatMap((s) => s.points);
const largest = points.filter((p) => p.targetRows === 1_000_000);
const worst = [...largest].sort((a, b) => b.seed.p99 - a.seed.p99)[0];
const md = [
  '# Scale series on PGlite, every API to 1,000,000 rows',
  '',
  `${data.date} · Node ${data.node} · ${data.cores} cores (${data.cpu.split(' ').slice(0, 2).join(' ')}) · took ${data.seconds} s`,
  '',
  'Each API seeded to 10,000, 100,000 and 1,000,000 underlying rows on one PGlite folder',
  '(`npm run bench:pglite-scale`); at each step its seed operation is read sequentially on its largest run',
  'through the server with the body cache off, so every read queries the store, and its list 50 pages',
  'deep. Target: every seed operation < 20 ms p99 at 1,000,000 rows. Highest p99 there:',
  `${worst ? `${worst.seed.p99} ms (${worst.api})` : 'n/a'}.`,
  '',
  '![p99 latency of each seed operation against underlying rows, PGlite](pglite-scale.svg)',
  '',
  ...scaleTable(scale),
  '',
  '## EXPLAIN ANALYZE of each seed operation on its largest run, 1,000,000 rows',
  '',
  ...scalePlans(scale),
];
const results = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(results, { recursive: true });
writeFileSync(join(results, 'pglite-scale.json'), `${JSON.stringify(data, null, 2)}\n`);
writeFileSync(join(results, 'pglite-scale.md'), `${md.join('\n')}\n`);
writeFileSync(
  join(results, 'pglite-scale.svg'),
  scaleChart(scale, 'Seed operation p99 (sequential) against underlying rows, PGlite'),
);
log('wrote bench/results/pglite-scale.md, .json and .svg');
process.exit(0);
