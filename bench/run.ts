/**
 * npm run bench: every server in its own process and the load generator (autocannon) in another,
 * on loopback only. Compares, interleaved round by round, (1) bare node:http with the same bytes,
 * (2) express without validation, (3) ours with response validation off, (4) ours as shipped
 * (warm caches; and cold: each terminal run read once) and (5) Prism static, quiet; then cold
 * start, RSS and the scale series (PGlite, and PostgreSQL when DATABASE_URL is set). Writes
 * bench/results/latest.{md,json} and latency-vs-rows.svg. BENCH_QUICK=1: a smoke run under a
 * minute. Never part of npm test.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { joinedDocument } from '../mocks/join.ts';
import { DEMO_JWT_SECRET } from '../server/config.ts';
import type { ApiName } from '../server/core/types.ts';
import { migrate } from '../server/store/migrate.ts';
import { openStore } from '../server/store/open.ts';
import { storeFinalBodies } from '../server/store-final-bodies.ts';
import { bulk, type Scenario, scenarios, seedDemo, terminalPaths } from './lib/dataset.ts';
import { phaseClock } from './lib/phases.ts';
import {
  type Child,
  cpuMs,
  freePort,
  type LoadResult,
  type LoadSpec,
  prismCli,
  ROOT,
  rssMb,
  startChild,
  startLoader,
  stopChild,
  tsxScript,
} from './lib/procs.ts';
import { writeReport } from './lib/report.ts';
import { runScale } from './lib/scale.ts';
import { coldStarts } from './lib/startup.ts';

const QUICK = process.env.BENCH_QUICK === '1';
const cfg = QUICK
  ? {
      duration: 0.3,
      rounds: 1,
      ceilingRounds: 1,
      conns: [16],
      bulkRuns: 60,
      perRun: 20,
      coldReads: 16,
      storedBursts: 1,
      storedWarmUp: 16,
      scale: [2_000],
    }
  : {
      duration: 1,
      rounds: 3,
      ceilingRounds: 1,
      conns: [1, 16, 64],
      // Terminal runs per API: 280 rendered and 3 x 280 stored timed reads, 20 warm-up reads of each,
      // and 250 for the stored path's untimed burst (taxonomy gets 7/5 of these: 5 in 7 of its bulk
      // runs are terminal).
      bulkRuns: 1450,
      perRun: 20,
      coldReads: 280,
      // A stored burst of 280 lasts 20-70 ms: one scheduler stall moved a single burst's ratio from
      // 5x to 0.96x between the two levels of one run. Three bursts of other runs, each beside
      // Prism's burst of the same URLs, make a stored cell.
      storedBursts: 3,
      storedWarmUp: 250,
      // PostgreSQL steps through all three; PGlite skips 100,000 (see scale.ts).
      scale: [10_000, 100_000, 1_000_000],
    };
/** Taxonomy's bulk runs are 5 in 7 terminal: it gets 7/5 as many, so its cold cells read as many runs. */
const bulkRunsOf = (api: ApiName) => (api === 'taxonomy' ? Math.ceil((cfg.bulkRuns * 7) / 5) : cfg.bulkRuns);
/** Runs of each cold half read before the timed ones (see the cold servers' warm-up). */
const COLD_WARM_UP = QUICK ? 2 : 20;
const started = performance.now();
const clock = phaseClock();
const log = (msg: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(3)}s] ${msg}`);
const work = mkdtempSync(join(tmpdir(), 'run-api-contracts-bench-'));
const results = fileURLToPath(new URL('./results/', import.meta.url));
const children: Child[] = [];
process.on('exit', () => {
  for (const c of children) c.proc.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

// The production build: cold start is measured from it (quick mode reuses an existing one).
if (!QUICK || !existsSync(new URL('dist/server/main.js', ROOT))) {
  log('building dist/server');
  execFileSync(process.execPath, tsxScript('scripts/build-server.ts'), { cwd: ROOT, stdio: 'ignore' });
}
clock.end('build dist/server');

// The comparison dataset: demo data plus bulk terminal runs (so cold reads are each a first read).
log(`dataset: demo + ${cfg.bulkRuns} runs x ${cfg.perRun} rows per API on PGlite`);
const mainDir = join(work, 'main');
const db = await openStore({ dataDir: mainDir });
await migrate(db);
const scen = scenarios(await seedDemo(db));
for (const s of scen) await bulk(db, s.api, s.tenant, bulkRunsOf(s.api), cfg.perRun);
await db.exec('ANALYZE');
// Cold reads come in two halves of the same age: runs never read (the body is rendered on the
// request) and runs whose bodies were stored when they were written (storeFinalBodies), so a fresh
// process's first read of them is one primary-key read. Older stored runs, never timed, are each
// cold process's first stored reads (storedWarm: see the cold cache below).
const coldPaths: Record<string, { rendered: string[]; stored: string[]; storedWarm: string[] }> = {};
for (const s of scen) {
  const halves = 2 * (cfg.coldReads + COLD_WARM_UP);
  // The stored bursts after the first read older runs than the rendered half's.
  const moreStored = (cfg.storedBursts - 1) * cfg.coldReads;
  const paths = (await terminalPaths(db, s.api, s.tenant, halves + moreStored + cfg.storedWarmUp + 1)).filter(
    (p) => p !== s.seedPath,
  );
  const timed = paths.slice(0, halves);
  const stored = timed.filter((_, i) => i % 2 === 1);
  // The warm-up takes each half's last COLD_WARM_UP runs: the extra bursts go before them.
  stored.splice(cfg.coldReads, 0, ...paths.slice(halves, halves + moreStored));
  coldPaths[s.api] = {
    rendered: timed.filter((_, i) => i % 2 === 0),
    stored,
    storedWarm: paths.slice(halves + moreStored),
  };
}
const storeBodies = async (store: typeof db) => {
  for (const s of scen) {
    const cold = coldPaths[s.api];
    const reads = [...(cold?.stored ?? []), ...(cold?.storedWarm ?? [])].map((path) => ({
      api: s.api,
      tenant: s.tenant,
      path,
      headers: s.headers,
    }));
    const { refused, failed } = await storeFinalBodies(store, reads, { jwtSecret: DEMO_JWT_SECRET });
    const lost = [...refused, ...failed];
    if (lost.length) throw new Error(`storing ${s.api} bodies: ${JSON.stringify(lost.slice(0, 3))}`);
  }
};
await storeBodies(db);
await db.close();
clock.end('dataset, PGlite (demo, bulk runs, stored bodies)');
// With DATABASE_URL, the cold reads are measured on PostgreSQL too (same dataset, a schema of its own).
const pgUrl = QUICK ? undefined : process.env.DATABASE_URL;
const pgSchema = `bench_main_${process.pid}`;
// The bench's own connection to that schema: it puts the rendered half back to unread between the
// cold processes (final_bodies is shared by them) and finds their database backends.
const pgAdmin = pgUrl ? await openStore({ databaseUrl: pgUrl, schema: pgSchema }) : undefined;
let storedKeys: string[] = [];
if (pgAdmin) {
  await migrate(pgAdmin);
  await seedDemo(pgAdmin);
  for (const s of scen) await bulk(pgAdmin, s.api, s.tenant, bulkRunsOf(s.api), cfg.perRun);
  await pgAdmin.exec('ANALYZE');
  await storeBodies(pgAdmin);
  storedKeys = (await pgAdmin.query<{ key: string }>('SELECT key FROM final_bodies')).map((r) => r.key);
  clock.end('dataset, PostgreSQL');
}
/** Bodies a cold PostgreSQL process stored on its reads go, so the next one reads those runs unread too. */
const forgetRendered = () =>
  pgAdmin?.query('DELETE FROM final_bodies WHERE key <> ALL($1::text[])', [storedKeys]) ?? Promise.resolve();
/** A cold PostgreSQL server's CPU is its own and its database backends' (found by application name). */
const backendsCpu = async (app: string) => {
  const rows =
    (await pgAdmin?.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [app])) ??
    [];
  return new Map(rows.map((r) => [r.pid, cpuMs(r.pid) ?? 0]));
};
// PGlite is one process per folder: each server of ours gets a copy.
const ours = (name: string, env: Record<string, string> = {}, nodeArgs: string[] = []) => {
  const dir = join(work, name);
  cpSync(mainDir, dir, { recursive: true });
  return startChild(name, [...nodeArgs, ...tsxScript('bench/servers/ours.ts')], { BENCH_PGLITE: dir, ...env });
};

log('starting servers');
const loader = startLoader();
// Validation's cost is read where validation runs: two servers with the body cache off (every
// read queries the store and validates), one with response validation and one without. A warm
// read is answered by the front door in both (3) and (4), validated or not.
// A smoke run starts only what its one round needs: no comparison servers for validation's cost.
const full = (start: () => Promise<Child>) => (QUICK ? Promise.resolve(undefined) : start());
// Cold reads: a fresh process per connection level (PGlite: a fresh copy of the folder), so each
// level reads every run of the cold halves, none of them read before by that process.
const LEVELS = cfg.conns.filter((c) => c > 1);
const coldApp = (conns: number) => `bench-cold-${process.pid}-${conns}`;
const coldPg = (conns: number) =>
  startChild(`ours-cold-pg-${conns}`, tsxScript('bench/servers/ours.ts'), {
    BENCH_DATABASE_URL: pgUrl ?? '',
    BENCH_SCHEMA: pgSchema,
    PGAPPNAME: coldApp(conns),
  });
// The two with the body cache off are one process: the twin app (validation off) on its own port
// shares the validated one's store, so the two differ in response validation alone (as two
// processes, their PGlites' compiled state and their neighbours moved single cells 0.84-1.09).
const twinPort = await freePort();
const controlPort = await freePort();
/** Collects the uncached process's garbage (BENCH_CONTROL_PORT), so each slice pays for its own. */
const collectGarbage = () =>
  fetch(`http://127.0.0.1:${controlPort}/gc`, { method: 'POST' }).then((r) => r.arrayBuffer());
const [warm, novalidate, prism, uncached, ...cold] = await Promise.all([
  ours('ours-warm'),
  full(() => ours('ours-novalidate', { BENCH_VALIDATE: '0' })),
  joinedDocument().then(startPrism),
  full(() =>
    ours(
      'ours-uncached',
      { BENCH_FINAL_CACHE: '0', BENCH_TWIN_PORT: String(twinPort), BENCH_CONTROL_PORT: String(controlPort) },
      ['--expose-gc'],
    ),
  ),
  ...LEVELS.map((conns) => ours(`ours-cold-${conns}`)),
  ...LEVELS.map((conns) => (pgUrl ? coldPg(conns) : Promise.resolve(undefined))),
]);
const uncachedNovalidate: Child | undefined = uncached && {
  ...uncached,
  name: 'ours-uncached-novalidate',
  url: `http://127.0.0.1:${twinPort}`,
};
const coldByLevel = cold.slice(0, LEVELS.length);
const coldPgByLevel = cold.slice(LEVELS.length);
for (const c of [warm, novalidate, prism, uncached, ...coldByLevel, ...coldPgByLevel]) if (c) children.push(c);
if (!warm || !prism) throw new Error('the warm server and Prism must run');
const idleRss = rssMb(warm.proc.pid);
// The bytes every ceiling answers: what ours answers.
const bodies: Record<string, string> = {};
for (const s of scen) {
  for (const path of [s.seedPath, s.listPath]) {
    const res = await fetch(warm.url + path, { headers: s.headers });
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    bodies[path] = await res.text();
  }
}
const bodiesFile = join(work, 'bodies.json');
writeFileSync(bodiesFile, JSON.stringify(bodies));
// The ceilings, (1) and (2), only in a full run: a smoke run compares ours with Prism.
const [bare, express] = await Promise.all([
  full(() => startChild('bare', tsxScript('bench/servers/bare.ts', bodiesFile))),
  full(() => startChild('express', tsxScript('bench/servers/express.ts', bodiesFile))),
]);
for (const c of [bare, express]) if (c) children.push(c);
clock.end('servers: start');
const servers: Record<string, Child | undefined> = {
  bare,
  express,
  'ours-novalidate': novalidate,
  'ours-warm': warm,
  prism,
  'ours-uncached': uncached,
  'ours-uncached-novalidate': uncachedNovalidate,
};
const ORDER = Object.keys(servers).filter((name) => servers[name]);
/** (1) and (2): what node:http and express do with the same bytes, context for ours. */
const CEILINGS = new Set(['bare', 'express']);
/** Measured under load only, for the validated / unvalidated ratio; never on lists. */
const UNCACHED = new Set(['ours-uncached', 'ours-uncached-novalidate']);

// One request per path first, so caches, JIT and validators are warm before anything is timed.
// The cold servers read the lists, the demo run and a few runs of each cold half (none among the
// timed reads): their processes and validators are warm, and only the runs they will be timed on
// are unread.
/** Each API's runs read in the cold servers' warm-up, never timed: read again before each level's bursts. */
const warmUps: Partial<Record<ApiName, string[]>> = {};
const touch = (url: string, s: Scenario, path: string) =>
  fetch(url + path, { headers: s.headers }).then((r) => r.arrayBuffer());
for (const s of scen) {
  for (const name of ORDER) for (const path of [s.seedPath, s.listPath]) await touch(servers[name]?.url ?? '', s, path);
  // A few runs of each half, kept out of the timed reads, warm the code of both first-read paths
  // (one read leaves it to the interpreter: telemetry, timed first, measured 0.45x where the rest did 1.4-3x).
  const halves = coldPaths[s.api];
  const warmUp = halves ? [...halves.rendered.splice(-COLD_WARM_UP), ...halves.stored.splice(-COLD_WARM_UP)] : [];
  warmUps[s.api] = warmUp;
  for (const c of coldByLevel)
    if (c) for (const path of [s.listPath, s.seedPath, ...warmUp]) await touch(c.url, s, path);
  // The PostgreSQL ones share final_bodies: each warms both first-read paths on runs unread again.
  for (const c of coldPgByLevel) {
    if (!c) continue;
    await forgetRendered();
    for (const path of [s.listPath, s.seedPath, ...warmUp]) await touch(c.url, s, path);
  }
  // Then those runs again under load for a moment: a single read each left the answering code to
  // the interpreter, and the API timed first on a fresh process (telemetry) paid the compiling
  // (its stored reads cost 555-642 µs of CPU per answer where the others cost 144-467).
  for (const c of [...coldByLevel, ...coldPgByLevel])
    if (c)
      await loader.load({
        url: c.url,
        paths: [s.seedPath, ...warmUp],
        headers: s.headers,
        connections: 16,
        duration: QUICK ? 0.1 : 0.3,
      });
  // The uncached apps answer every read from the store: a fresh PGlite runs its WASM at the first
  // tier until it has run a while (telemetry, timed first, cost 2,300-3,000 µs of CPU per answer in
  // its first second and 1,600-1,800 µs from its third, validated or not), so each operation is
  // under load a second before any cell times validation's cost (half a second more on the twin,
  // for its own JavaScript: the PGlite is the same).
  for (const [c, duration] of [
    [uncached, 1],
    [uncachedNovalidate, 0.5],
  ] as const)
    if (c) await loader.load({ url: c.url, paths: [s.seedPath], headers: s.headers, connections: 16, duration });
}
clock.end('warm-up reads');

type Cell = { server: string; api: ApiName; op: 'seed' | 'list'; conns: number; round: number } & LoadResult;
const cells: Cell[] = [];
let loadRss = 0;
/**
 * One load cell with the CPU the server used for it (from /proc, read before and after): CPU per
 * answer measures the server, where requests per second on two shared cores also measure whatever
 * else runs. `app`: the application name of a PostgreSQL server's backends, whose CPU counts too.
 */
async function timed(child: Child, spec: LoadSpec, app?: string): Promise<LoadResult> {
  const pgBefore = app ? await backendsCpu(app) : undefined;
  const before = cpuMs(child.proc.pid);
  const r = await loader.load(spec);
  const after = cpuMs(child.proc.pid);
  let cpu = before !== null && after !== null ? after - before : null;
  if (cpu !== null && pgBefore)
    for (const [pid, used] of await backendsCpu(app ?? '')) cpu += used - (pgBefore.get(pid) ?? 0);
  return { ...r, cpuMs: cpu === null ? null : Math.round(cpu * 10) / 10 };
}
async function measure(server: string, s: Scenario, op: 'seed' | 'list', conns: number, round: number) {
  const child = servers[server];
  if (!child) return;
  const sampler =
    server === 'ours-warm'
      ? setInterval(() => (loadRss = Math.max(loadRss, rssMb(child.proc.pid) ?? 0)), 200)
      : undefined;
  const r = await timed(child, {
    url: child.url,
    paths: [op === 'seed' ? s.seedPath : s.listPath],
    headers: s.headers,
    connections: conns,
    // Sequential figures are no target's: half a cell buys the repeated cold starts their time.
    duration: conns === 1 ? cfg.duration / 2 : cfg.duration,
  });
  clearInterval(sampler);
  cells.push({ server, api: s.api, op, conns, round, ...r });
}

/**
 * Validation's cost: the validated app and its unvalidated twin (one process) in alternating
 * quarter-cells, A B B A B A A B, each after a full collection, so neither pays for the other's
 * garbage and drift in what else the two cores run falls on both alike. As one cell per app:
 * CPU and answers summed, rps over the slices' time, latencies the slices' medians.
 */
async function measurePair(s: Scenario, conns: number, round: number) {
  const pair = ['ours-uncached', 'ours-uncached-novalidate'] as const;
  const slices: Record<string, LoadResult[]> = { [pair[0]]: [], [pair[1]]: [] };
  for (const i of [0, 1, 1, 0, 1, 0, 0, 1] as const) {
    const child = servers[pair[i]];
    if (!child) return;
    await collectGarbage();
    const spec = { url: child.url, paths: [s.seedPath], headers: s.headers, connections: conns };
    slices[pair[i]]?.push(await timed(child, { ...spec, duration: cfg.duration / 4 }));
  }
  for (const server of pair)
    cells.push({ server, api: s.api, op: 'seed', conns, round, ...pooled(slices[server] ?? []) });
}

/** Slices of one cell as one: answers and CPU summed, rps over the slices' time, latencies their medians. */
function pooled(rs: LoadResult[]): LoadResult {
  const sum = (f: (r: LoadResult) => number) => rs.reduce((n, r) => n + f(r), 0);
  const mid = (f: (r: LoadResult) => number) => rs.map(f).sort((a, b) => a - b)[rs.length >> 1] ?? 0;
  const seconds = sum((r) => (r.rps > 0 ? r.requests / r.rps : 0));
  return {
    rps: seconds > 0 ? Math.round(sum((r) => r.requests) / seconds) : 0,
    p50: mid((r) => r.p50),
    p99: mid((r) => r.p99),
    max: Math.max(...rs.map((r) => r.max)),
    errors: sum((r) => r.errors),
    non2xx: sum((r) => r.non2xx),
    requests: sum((r) => r.requests),
    ok: sum((r) => r.ok),
    cpuMs: rs.every((r) => typeof r.cpuMs === 'number') ? sum((r) => r.cpuMs ?? 0) : null,
  };
}

// Interleaved: every server takes its turn on an operation before the next operation or round.
for (let round = 1; round <= cfg.rounds; round++) {
  for (const conns of cfg.conns) {
    if (conns === 1 && round > 1) continue; // sequential figures move little between rounds
    log(`round ${round}, ${conns} connection(s): seed operations`);
    for (const s of scen)
      for (const name of ORDER) {
        if (UNCACHED.has(name)) {
          if (conns > 1 && name === 'ours-uncached') await measurePair(s, conns, round);
          continue;
        }
        // The ceilings are no target's figure: one round of them gives back 40 s of the ten minutes.
        if (round > cfg.ceilingRounds && CEILINGS.has(name)) continue;
        await measure(name, s, 'seed', conns, round);
      }
    clock.end(`seed operations, ${conns} connection${conns > 1 ? 's' : ''} (all rounds)`);
  }
}
log('list operations, 16 connections');
// A smoke run times the lists of ours only: the ceilings answer lists as fast as seeds.
const LIST_ORDER = ORDER.filter((name) => !UNCACHED.has(name) && (!QUICK || name === 'ours-warm'));
for (const s of scen) for (const name of LIST_ORDER) await measure(name, s, 'list', 16, 1);
clock.end('list operations');

// Cold cache: each terminal run read exactly once by each level's own fresh process.
log('cold cache');
for (const [i, conns] of LEVELS.entries()) {
  const cold = coldByLevel[i];
  const coldPg = coldPgByLevel[i];
  // The runs the other level's PostgreSQL process rendered (and stored) are unread again.
  await forgetRendered();
  for (const s of scen) {
    // Stored first: a rendered burst leaves its bodies to be written after its answers (on
    // PostgreSQL a commit each batch), and a stored burst timed then shared the cores with those
    // writes (telemetry's PostgreSQL stored cell at 16: 1.16x Prism in one run, 0.73x in the next).
    for (const half of ['stored', 'rendered'] as const) {
      // Stored: storedBursts bursts of other runs; rendered: one.
      const bursts = Array.from({ length: half === 'stored' ? cfg.storedBursts : 1 }, (_, b) =>
        (coldPaths[s.api]?.[half] ?? []).slice(b * cfg.coldReads, (b + 1) * cfg.coldReads),
      ).filter((paths) => paths.length >= conns);
      if (bursts.length === 0) continue;
      // Untimed first, at this level's connections: a burst of runs already read, then one of older
      // stored runs this process never read (the stored path itself). A server that has run a while
      // has compiled that path; a fresh one compiles it during its first bursts: telemetry, the
      // first API each fresh process is timed on, had the lowest stored cell in most runs, and three
      // stored bursts of 250 telemetry runs at 64 connections, one after another on one process,
      // cost 405, 185 and 141 µs of CPU per answer (the answered path in the same shape 200-290).
      if (half === 'stored')
        for (const c of [cold, coldPg, prism]) {
          if (!c) continue;
          const paths = [s.seedPath, ...(warmUps[s.api] ?? [])];
          await loader.load({ url: c.url, paths, headers: s.headers, connections: conns, amount: 2 * conns });
          const storedWarm = coldPaths[s.api]?.storedWarm ?? [];
          if (storedWarm.length >= conns)
            await loader.load({
              url: c.url,
              paths: storedWarm,
              headers: s.headers,
              connections: conns,
              amount: storedWarm.length,
            });
        }
      // Prism reads the same URLs the same way: a burst of this many requests on fresh connections
      // is slower than a steady second of load for every server, so the ratio compares like with like.
      // The servers' turns are reversed on every other burst.
      const parts: Record<string, LoadResult[]> = {};
      for (const [b, paths] of bursts.entries()) {
        const turns = [
          ['ours-cold', cold],
          ['ours-cold-pg', coldPg],
          ['prism-cold', prism],
        ] as const;
        for (const [name, c] of b % 2 ? [...turns].reverse() : turns) {
          if (!c) continue;
          const spec = { url: c.url, paths, headers: s.headers, connections: conns, amount: paths.length };
          const r = await timed(c, spec, name === 'ours-cold-pg' ? coldApp(conns) : undefined);
          parts[name] = [...(parts[name] ?? []), r];
        }
      }
      for (const [name, rs] of Object.entries(parts)) {
        const server = half === 'stored' ? `${name}-stored` : name;
        cells.push({ server, api: s.api, op: 'seed', conns, round: 1, ...pooled(rs) });
      }
      // The rendered bodies' writes end before the next API's bursts.
      if (half === 'rendered') await new Promise((r) => setTimeout(r, 1000));
    }
  }
}
loader.close();
for (const c of children.splice(0)) await c.stop();
if (pgAdmin) {
  await pgAdmin.exec(`DROP SCHEMA IF EXISTS ${pgSchema} CASCADE`);
  await pgAdmin.close();
}
clock.end('cold reads (and stopping the servers)');

log('cold start');
const startup = await coldStarts(work, mainDir, scen[0], QUICK);
clock.end('cold start (first answers, RSS)');

log('scale series');
const scale = await runScale({
  work,
  steps: cfg.scale,
  databaseUrl: process.env.DATABASE_URL,
  quick: QUICK,
  log,
  phase: clock.end,
});

const seconds = Math.round((performance.now() - started) / 1000);
mkdirSync(results, { recursive: true });
writeReport(results, {
  date: new Date().toISOString(),
  node: process.version,
  cores: cpus().length,
  cpu: cpus()[0]?.model ?? 'unknown',
  quick: QUICK,
  config: cfg,
  seconds,
  cells,
  rss: { idle: idleRss, underLoad: loadRss || null },
  startup,
  scale,
  phases: clock.phases.map((p) => ({ phase: p.phase, seconds: Math.round(p.seconds * 10) / 10 })),
});
log(`wrote bench/results/latest.md, latest.json, latency-vs-rows.svg (${seconds}s)`);
process.exit(0);

/** Prism prints nothing at `-v silent`: it gets a port and is polled until it answers. */
async function startPrism(document: string): Promise<Child> {
  const port = await freePort();
  // One process (no --multiprocess fork), so its CPU is the one process's.
  const args = [prismCli(), 'mock', document, '--port', String(port), '-v', 'silent', '--no-multiprocess'];
  const proc = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 1200; i++) {
    const up = await fetch(`${url}/v1/telemetry/runs`, { headers: { authorization: 'Bearer x' } })
      .then(() => true)
      .catch(() => false);
    if (up) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { name: 'prism', url, proc, stop: () => stopChild(proc) };
}
