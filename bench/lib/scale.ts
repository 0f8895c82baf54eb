import { join } from 'node:path';
import type { ApiName } from '../../server/core/types.ts';
import type { Db } from '../../server/store/db.ts';
import { migrate } from '../../server/store/migrate.ts';
import { openStore } from '../../server/store/open.ts';
import { API_NAMES, bulk, countRows, type Scenario, scenarios, seedDemo } from './dataset.ts';
import { largestRunPath, seedPlans } from './explain.ts';
import { startChild, startLoader, tsxScript } from './procs.ts';

export interface ScalePoint {
  store: 'pglite' | 'postgres';
  api: ApiName;
  targetRows: number;
  rows: number;
  seed: { p50: number; p99: number; max: number; requests: number; non2xx: number };
  list: { pages: number; p50: number; p99: number; max: number; lastPageMs: number };
}
export interface ScaleResult {
  store: 'pglite' | 'postgres';
  points: ScalePoint[];
  /** Skipped steps and why. */
  skipped: string[];
  plans: Array<{ api: ApiName; rows: number; statements: Array<{ sql: string; plan: string }> }>;
}

const PER_RUN = 200;
/** Underlying rows one bulk run adds (workflows writes four child tables per run). */
const ROWS_PER_RUN: Record<ApiName, number> = {
  telemetry: 200,
  workflows: 400,
  matching: 200,
  taxonomy: 1,
  samples: 200,
};
/** PGlite seeds 1M rows of every API in ~8 minutes on 2 cores: only telemetry reaches 1M by default. */
const PGLITE_1M = new Set<ApiName>(process.env.BENCH_PGLITE_1M === 'all' ? API_NAMES : ['telemetry']);
/**
 * The steps PGlite skips: 100,000 rows is no target's figure (PostgreSQL still runs it, and PGlite
 * runs 10,000 and telemetry's 1,000,000), and seeding it was most of a minute of the ten.
 */
const PGLITE_SKIPS = new Set(process.env.BENCH_PGLITE_100K === '1' ? [] : [100_000]);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? 0) : 0;
};

async function listDeep(url: string, s: Scenario, pages: number) {
  const times: number[] = [];
  let path: string | undefined = s.listPath;
  while (path && times.length < pages) {
    const t0 = performance.now();
    const res = await fetch(url + path, { headers: s.headers });
    const body = (await res.json()) as { next_cursor?: string | null; meta?: { next_cursor?: string | null } };
    times.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
    const cursor = body.next_cursor ?? body.meta?.next_cursor;
    path = cursor ? `${s.listPath}&cursor=${encodeURIComponent(cursor)}` : undefined;
  }
  const r = (n: number) => Math.round(n * 10) / 10;
  return {
    pages: times.length,
    p50: r(pct(times, 50)),
    p99: r(pct(times, 99)),
    max: r(Math.max(...times)),
    lastPageMs: r(times.at(-1) ?? 0),
  };
}

export async function runScale(o: {
  work: string;
  steps: number[];
  databaseUrl: string | undefined;
  quick: boolean;
  log: (m: string) => void;
  /** Closes a phase of the run's clock (seeding and measuring each step of each store). */
  phase?: (name: string) => void;
}): Promise<ScaleResult[]> {
  const out: ScaleResult[] = [];
  const stores: Array<'pglite' | 'postgres'> = o.databaseUrl && !o.quick ? ['pglite', 'postgres'] : ['pglite'];
  for (const store of stores) {
    const schema = `bench_${process.pid}`;
    const dir = join(o.work, 'scale-pglite');
    const open = () =>
      store === 'pglite' ? openStore({ dataDir: dir }) : openStore({ databaseUrl: o.databaseUrl, schema });
    const result: ScaleResult = { store, points: [], skipped: [], plans: [] };
    let db: Db = await open();
    await migrate(db);
    const scen = scenarios(await seedDemo(db));
    const steps = o.steps.filter((step) => store === 'postgres' || !PGLITE_SKIPS.has(step));
    for (const step of o.steps.filter((x) => !steps.includes(x)))
      result.skipped.push(
        `every API at ${step.toLocaleString('en-US')} rows on PGlite (the bench's time; BENCH_PGLITE_100K=1 runs it)`,
      );
    for (const step of steps) {
      const rowsOf = `${store} ${step.toLocaleString('en-US')} rows`;
      const apis = scen.filter((s) => store === 'postgres' || step < 1_000_000 || PGLITE_1M.has(s.api));
      for (const s of scen.filter((x) => !apis.includes(x)))
        result.skipped.push(
          `${s.api} at ${step.toLocaleString('en-US')} rows on PGlite (seeding time; BENCH_PGLITE_1M=all runs it)`,
        );
      for (const s of apis) {
        const have = await countRows(db, s.api, s.tenant);
        const runs = Math.ceil(Math.max(0, step - have) / ROWS_PER_RUN[s.api]);
        o.log(`${store}: ${s.api} to ${step.toLocaleString('en-US')} rows (+${runs} runs)`);
        if (runs > 0) await bulk(db, s.api, s.tenant, runs, PER_RUN);
      }
      await db.exec('ANALYZE');
      const rows: Record<string, number> = {};
      const paths: Record<string, string> = {};
      for (const s of apis) {
        rows[s.api] = await countRows(db, s.api, s.tenant);
        paths[s.api] = await largestRunPath(db, s.api, s.tenant);
        if (step === Math.max(...steps.filter((x) => x < 1e6 || store === 'postgres' || PGLITE_1M.has(s.api))))
          result.plans.push({ api: s.api, rows: rows[s.api] ?? 0, statements: await seedPlans(db, s.api, s.tenant) });
      }
      // PGlite is one process per folder: the server gets it while the bench holds none.
      if (store === 'pglite') await db.close();
      o.phase?.(`scale ${rowsOf}: seeding (and plans)`);
      const server = await startChild(`scale-${store}`, tsxScript('bench/servers/ours.ts'), {
        BENCH_FINAL_CACHE: '0',
        ...(store === 'pglite'
          ? { BENCH_PGLITE: dir }
          : { BENCH_DATABASE_URL: o.databaseUrl ?? '', BENCH_SCHEMA: schema }),
      });
      const loader = startLoader();
      try {
        // Every API's path under load for a moment before any is timed: a fresh process compiles
        // as it goes, and the first API timed (telemetry) took that, p99 25 ms where p50 was 2.
        for (const s of apis)
          await loader.load({
            url: server.url,
            paths: [paths[s.api] ?? s.seedPath],
            headers: s.headers,
            connections: 1,
            duration: o.quick ? 0.1 : 0.3,
          });
        for (const s of apis) {
          const path = paths[s.api] ?? s.seedPath;
          const seq = await loader.load({
            url: server.url,
            paths: [path],
            headers: s.headers,
            connections: 1,
            // A second holds 300-1,000 sequential answers here: enough for a p99 (was 2 s).
            duration: o.quick ? 0.3 : 1,
          });
          const list = await listDeep(server.url, s, o.quick ? 3 : 50);
          result.points.push({
            store,
            api: s.api,
            targetRows: step,
            rows: rows[s.api] ?? 0,
            seed: { p50: seq.p50, p99: seq.p99, max: seq.max, requests: seq.requests, non2xx: seq.non2xx },
            list,
          });
          o.log(
            `${store} ${s.api} ${rows[s.api]} rows: seed p99 ${seq.p99} ms, list p99 ${list.p99} ms over ${list.pages} pages`,
          );
        }
      } finally {
        loader.close();
        await server.stop();
      }
      if (store === 'pglite') db = await open();
      o.phase?.(`scale ${rowsOf}: measuring`);
    }
    if (store === 'postgres') await db.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await db.close();
    out.push(result);
  }
  return out;
}
