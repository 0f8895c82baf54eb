/**
 * npm run bench: load scenarios against the in-process server (loopback only), with response
 * validation on (the default) and off, on a store holding a larger dataset. Writes
 * bench/results/report.md. Never part of npm test. BENCH_SECONDS, BENCH_RUNS tune it.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import pino from 'pino';
import { registry } from '../server/apis/registry.ts';
import type { DemoTenant } from '../server/apis/types.ts';
import { createApp } from '../server/app.ts';
import { BULK_SEEDERS } from '../server/store/bulk/index.ts';
import { migrate } from '../server/store/migrate.ts';
import { openStore } from '../server/store/open.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const bulkRuns = Number(process.env.BENCH_RUNS ?? 1000);

const db = await openStore({ databaseUrl: process.env.DATABASE_URL });
await migrate(db);
const demo: Record<string, DemoTenant[]> = {};
for (const api of registry) demo[api.name] = await api.seedDemo(db);
for (const [api, seed] of Object.entries(BULK_SEEDERS)) {
  const tenant = demo[api]?.[0]?.tenant ?? '';
  for (let done = 0; done < bulkRuns; done += 250)
    await db.transaction((tx) => seed(tx, tenant, Math.min(250, bulkRuns - done), 200));
}
const [{ max }] = (await db.query<{ max: number }>(
  "SELECT max(id)::int AS max FROM samples_runs WHERE project_id = 'ccextractor'",
)) as [{ max: number }];

const scenarios = [
  { name: 'samples summary (200 results)', api: 'samples', path: `/api/v1/runs/${max}/summary` },
  { name: 'samples list, first page', api: 'samples', path: '/api/v1/runs?limit=20' },
  ...Object.entries(demo).map(([api, tenants]) => ({
    name: `${api} seed operation (demo run)`,
    api,
    path: tenants[0]?.runs[0]?.path ?? '/',
  })),
];

const rows: string[] = [];
for (const validateResponses of [true, false]) {
  const app = createApp({ db, logger: pino({ level: 'silent' }), rateLimit: { limit: 1e9 }, validateResponses });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const s of scenarios) {
    const tenant = demo[s.api]?.[0];
    const result = await autocannon({
      url: url + s.path,
      connections: 10,
      duration: seconds,
      headers: { authorization: `Bearer ${tenant?.apiKey}`, ...(tenant?.headers ?? {}) },
    });
    const line = `| ${s.name} | ${validateResponses ? 'on' : 'off'} | ${result.requests.average} | ${result.latency.p50} | ${result.latency.p99} | ${result.non2xx} |`;
    rows.push(line);
    console.log(line);
  }
  await new Promise((r) => server.close(r));
}
await db.close();

const report = `# Benchmark report\n\n${new Date().toISOString()}, ${seconds}s per scenario, 10 connections, store: ${
  process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite (in memory)'
}, ${bulkRuns} extra runs x 200 child rows per API.\n\n| scenario | response validation | req/s | p50 ms | p99 ms | non-2xx |\n| --- | --- | --- | --- | --- | --- |\n${rows.join('\n')}\n`;
await mkdir(new URL('./results/', import.meta.url), { recursive: true });
await writeFile(new URL('./results/report.md', import.meta.url), report);
console.log('wrote bench/results/report.md');
