import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiName } from '../../server/core/types.ts';
import { latencyChart } from './chart.ts';
import { API_NAMES } from './dataset.ts';
import type { LoadResult } from './procs.ts';
import type { ScaleResult } from './scale.ts';
import type { StartupResult } from './startup.ts';

type Cell = { server: string; api: ApiName; op: 'seed' | 'list'; conns: number; round: number } & LoadResult;
export interface BenchData {
  date: string;
  node: string;
  cores: number;
  cpu: string;
  quick: boolean;
  config: Record<string, unknown>;
  seconds: number;
  cells: Cell[];
  rss: { idle: number | null; underLoad: number | null };
  startup: StartupResult[];
  scale: ScaleResult[];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};
const fmt = (n: number | null | undefined, digits = 0) =>
  n === null || n === undefined || Number.isNaN(n)
    ? 'n/a'
    : n.toLocaleString('en-US', { maximumFractionDigits: digits });
const ratio = (a: number, b: number) => (b > 0 && !Number.isNaN(a) ? a / b : Number.NaN);
const SERVERS = ['bare', 'express', 'ours-novalidate', 'ours-warm', 'prism'];
/** A fresh process's first read of each run: rendered on the request, or stored when the run was written. */
const COLD = [
  ['ours-cold', 'PGlite, rendered'],
  ['ours-cold-stored', 'PGlite, stored'],
  ['ours-cold-pg', 'PostgreSQL, rendered'],
  ['ours-cold-pg-stored', 'PostgreSQL, stored'],
] as const;
const mark = (ok: boolean | null) => (ok === null ? 'not measured' : ok ? '**met**' : '**missed**');

export function writeReport(dir: string, d: BenchData): void {
  const get = (server: string, api: ApiName, op: 'seed' | 'list', conns: number) => {
    const cs = d.cells.filter((c) => c.server === server && c.api === api && c.op === op && c.conns === conns);
    return {
      rps: median(cs.map((c) => c.rps)),
      p50: median(cs.map((c) => c.p50)),
      p99: median(cs.map((c) => c.p99)),
      max: cs.length ? Math.max(...cs.map((c) => c.max)) : Number.NaN,
      errors: cs.reduce((n, c) => n + c.errors + c.non2xx, 0),
      n: cs.length,
    };
  };
  const conns = [...new Set(d.cells.filter((c) => c.op === 'seed').map((c) => c.conns))].sort((a, b) => a - b);
  const loaded = conns.filter((c) => c >= 16);
  const md: string[] = [];
  md.push(
    '# Benchmark report',
    '',
    `${d.date} · Node ${d.node} · ${d.cores} cores (${d.cpu}) · ${d.quick ? 'QUICK smoke run (BENCH_QUICK=1): figures are indicative only' : 'full run'} · took ${d.seconds} s`,
    '',
    'Each server runs in its own process and the load generator (autocannon) in another, on loopback. ' +
      'The machine is shared with other work, so absolute figures are noisy: read the ratios, which come from this one run ' +
      `(medians of ${d.config.rounds} interleaved round(s), ${d.config.duration} s per cell, half that at 1 connection). Demo dataset plus ` +
      `${d.config.bulkRuns} bulk runs x ${d.config.perRun} rows per API, on PGlite.`,
    '',
    'Servers: (1) **bare** node:http answering the same bytes; (2) **express** without validation, bytes from memory; ' +
      '(3) **ours, validation off** (`createApp({ validateResponses: false })`); (4) **ours as shipped**: warm (terminal-run ' +
      'body cache and principal cache filled) and cold (a fresh process, every request the first read of its run, ' +
      'whose body is either rendered on the request or was stored when the run was written: see Cold reads); ' +
      '(5) **Prism** static mock, `-v silent`. For the cost of validation, two more of ours run with the body cache off, ' +
      'so every read queries the store and is validated: **uncached** (as shipped otherwise) and **uncached, validation off**.',
    '',
  );

  // Targets
  const warmVsPrism = loaded.flatMap((c) =>
    API_NAMES.map((api) => ratio(get('ours-warm', api, 'seed', c).rps, get('prism', api, 'seed', c).rps)),
  );
  // Against Prism reading the same URLs in the same bursts (prism-cold), not against its steady second.
  const coldVsPrism = (server: string) =>
    loaded.flatMap((c) =>
      API_NAMES.map((api) => ratio(get(server, api, 'seed', c).rps, get('prism-cold', api, 'seed', c).rps)),
    );
  // Where validation runs: both servers query the store on every read (body cache off).
  const valVsNoval = loaded.flatMap((c) =>
    API_NAMES.map((api) =>
      ratio(get('ours-uncached', api, 'seed', c).rps, get('ours-uncached-novalidate', api, 'seed', c).rps),
    ),
  );
  const p99at64 = API_NAMES.map((api) => get('ours-warm', api, 'seed', 64).p99);
  const minOf = (xs: number[]) => Math.min(...xs.filter((x) => !Number.isNaN(x)));
  const maxOf = (xs: number[]) => Math.max(...xs.filter((x) => !Number.isNaN(x)));
  const largest = (store: string) => {
    const pts = d.scale.find((s) => s.store === store)?.points ?? [];
    const top = Math.max(...pts.map((p) => p.targetRows));
    return pts.filter((p) => p.targetRows === top && top >= 1_000_000);
  };
  const seq = (store: string) => {
    const pts = largest(store);
    return pts.length ? maxOf(pts.map((p) => p.seed.p99)) : Number.NaN;
  };
  const start = (how: string, kind: string) =>
    median(d.startup.filter((s) => s.how === how && s.dataDir === kind).map((s) => s.firstAnswerMs ?? Number.NaN));
  const dist = 'node dist/server/main.js';
  md.push('## Targets', '', '| target | measured | verdict |', '| --- | --- | --- |');
  const row = (t: string, m: string, ok: boolean | null) => md.push(`| ${t} | ${m} | ${mark(ok)} |`);
  const w = minOf(warmVsPrism);
  row(
    'ours as shipped (warm) >= 2x Prism on every seed operation, 16 and 64 connections',
    `lowest ${fmt(w, 2)}x`,
    Number.isFinite(w) ? w >= 2 : null,
  );
  for (const [server, label] of COLD) {
    const c = minOf(coldVsPrism(server));
    const ok = Number.isFinite(c) ? c >= 1 : null;
    row(
      `cold cache (first read of each run in a fresh process) >= 1x Prism, ${label}`,
      ok === null ? 'not run' : `lowest ${fmt(c, 2)}x`,
      ok,
    );
  }
  const v = minOf(valVsNoval);
  const pooled = pooledValidation(loaded, get);
  row(
    'validated / unvalidated >= 0.90 (body cache off, so every read is validated), 16 and 64 connections',
    `lowest ${fmt(v, 2)} per operation; the five pooled: ${pooled.map(([c, r]) => `${fmt(r, 2)} at ${c}`).join(', ')}`,
    Number.isFinite(v) ? v >= 0.9 : null,
  );
  const p = maxOf(p99at64);
  row(
    'p99 < 25 ms at 64 connections on the demo dataset (warm)',
    `highest ${fmt(p)} ms`,
    Number.isFinite(p) ? p < 25 : null,
  );
  for (const store of ['pglite', 'postgres']) {
    const s = seq(store);
    const pts = largest(store);
    row(
      `every seed operation < 20 ms p99 sequentially at 1,000,000 rows, ${store === 'pglite' ? 'PGlite' : 'PostgreSQL'}`,
      Number.isFinite(s) ? `highest ${fmt(s)} ms (${pts.map((x) => x.api).join(', ')})` : 'not run',
      Number.isFinite(s) ? s < 20 : null,
    );
  }
  const se = start(dist, 'existing');
  const sm = start(dist, 'empty');
  row(
    'cold start to first answer < 3 s, existing data folder',
    `${fmt(se)} ms`,
    Number.isFinite(se) ? se < 3000 : null,
  );
  row('cold start to first answer < 6 s, empty data folder', `${fmt(sm)} ms`, Number.isFinite(sm) ? sm < 6000 : null);
  row(
    d.quick ? 'quick mode < 1 minute' : 'npm run bench < 10 minutes',
    `${d.seconds} s`,
    d.quick ? d.seconds < 60 : d.seconds < 600,
  );
  md.push('');

  // Throughput
  for (const cn of conns) {
    md.push(
      `## Seed operations, ${cn} connection${cn > 1 ? 's' : ''}: requests per second`,
      '',
      '| API | (1) bare | (2) express | (3) ours, validation off | (4) ours warm | (5) Prism | 4/5 | 4/3 | 4/1 |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const api of API_NAMES) {
      const [b, e, n, wv, pr] = SERVERS.map((s) => get(s, api, 'seed', cn).rps) as [
        number,
        number,
        number,
        number,
        number,
      ];
      md.push(
        `| ${api} | ${fmt(b)} | ${fmt(e)} | ${fmt(n)} | ${fmt(wv)} | ${fmt(pr)} | ${fmt(ratio(wv, pr), 2)} | ${fmt(ratio(wv, n), 2)} | ${fmt(ratio(wv, b), 3)} |`,
      );
    }
    md.push(
      '',
      `Latency at ${cn} connection${cn > 1 ? 's' : ''} (ms): p50 / p99 / max, and errors (socket errors + non-2xx)`,
      '',
      '| API | (1) bare | (2) express | (3) ours, validation off | (4) ours warm | (5) Prism |',
      '| --- | --- | --- | --- | --- | --- |',
    );
    for (const api of API_NAMES) {
      const cellsOf = SERVERS.map((s) => {
        const g = get(s, api, 'seed', cn);
        return g.n ? `${fmt(g.p50)} / ${fmt(g.p99)} / ${fmt(g.max)}${g.errors ? `, ${g.errors} err` : ''}` : 'n/a';
      });
      md.push(`| ${api} | ${cellsOf.join(' | ')} |`);
    }
    md.push('');
  }
  md.push(
    '## Cold reads: a fresh process, each terminal run read once',
    '',
    'Rendered: the run was never read, so the request runs its query, renders and validates the body, then stores it. ' +
      'Stored: the body was rendered and stored when the run was written (`storeFinalBodies`, as `npm run seed` does by default), ' +
      'so the first read is one primary-key read of `final_bodies`. Each cell is one burst: as many requests as ' +
      'runs, on fresh connections; Prism answers the same URLs in the same bursts, and the ratios are against that. ' +
      'Requests per second, and p99 ms.',
    '',
    `| API | connections | ${COLD.map(([, label]) => label).join(' | ')} | (5) Prism, same bursts | ${COLD.map(([, label]) => `${label} / 5`).join(' | ')} |`,
    `| --- | --- | ${COLD.map(() => '---').join(' | ')} | --- | ${COLD.map(() => '---').join(' | ')} |`,
  );
  for (const cn of loaded)
    for (const api of API_NAMES) {
      const pr = get('prism-cold', api, 'seed', cn).rps;
      const cold = COLD.map(([server]) => get(server, api, 'seed', cn));
      const cellOf = (g: (typeof cold)[number]) =>
        g.n ? `${fmt(g.rps)} (p99 ${fmt(g.p99)})${g.errors ? `, ${g.errors} err` : ''}` : 'n/a';
      md.push(
        `| ${api} | ${cn} | ${cold.map(cellOf).join(' | ')} | ${fmt(pr)} | ${cold.map((g) => fmt(ratio(g.rps, pr), 2)).join(' | ')} |`,
      );
    }
  md.push('');
  md.push(
    "## Validation's cost: every read queries the store (body cache off)",
    '',
    '| API | connections | uncached rps | uncached, validation off rps | validated / unvalidated | p99 ms (validated / off) |',
    '| --- | --- | --- | --- | --- | --- |',
  );
  for (const c of loaded)
    for (const api of API_NAMES) {
      const on = get('ours-uncached', api, 'seed', c);
      const off = get('ours-uncached-novalidate', api, 'seed', c);
      md.push(
        `| ${api} | ${c} | ${fmt(on.rps)} | ${fmt(off.rps)} | ${fmt(ratio(on.rps, off.rps), 2)} | ${fmt(on.p99)} / ${fmt(off.p99)} |`,
      );
    }
  md.push(
    '',
    `Pooled over the five operations (sum of validated rps over sum of unvalidated): ${pooled.map(([c, r]) => `${fmt(r, 2)} at ${c} connections`).join(', ')}. ` +
      'One cell is one second of one server, so a single ratio moves with the machine; the pooled one shows what validation costs.',
    '',
  );
  md.push(
    '## List operations (first page, 20 items), 16 connections',
    '',
    '| API | (1) bare | (2) express | (3) ours, validation off | (4) ours | (5) Prism | 4/5 | 4/3 | ours p99 ms |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const api of API_NAMES) {
    const [b, e, n, wv, pr] = ['bare', 'express', 'ours-novalidate', 'ours-warm', 'prism'].map(
      (s) => get(s, api, 'list', 16).rps,
    ) as [number, number, number, number, number];
    md.push(
      `| ${api} | ${fmt(b)} | ${fmt(e)} | ${fmt(n)} | ${fmt(wv)} | ${fmt(pr)} | ${fmt(ratio(wv, pr), 2)} | ${fmt(ratio(wv, n), 2)} | ${fmt(get('ours-warm', api, 'list', 16).p99)} |`,
    );
  }
  md.push('', 'Lists are never cached (their pages move as runs are added): every list request runs its query.', '');

  md.push(
    '## Cold start and memory',
    '',
    '| start | data folder | first seed-operation answer | /healthz | RSS idle |',
    '| --- | --- | --- | --- | --- |',
  );
  for (const s of d.startup)
    md.push(
      `| \`${s.how}\` | ${s.dataDir} | ${fmt(s.firstAnswerMs)} ms | ${fmt(s.healthzMs)} ms | ${fmt(s.rssIdleMb)} MB |`,
    );
  md.push(
    '',
    `RSS of ours (warm server, PGlite): ${fmt(d.rss.idle)} MB idle after start, ${fmt(d.rss.underLoad)} MB peak under load.`,
    '',
  );

  // Scale series
  md.push(
    '## Scale series (sequential, 1 connection, body cache off so every request queries the store)',
    '',
    '![p99 latency of each seed operation against underlying rows](latency-vs-rows.svg)',
    '',
    '| store | API | rows | seed p50 / p99 / max ms | list: pages | list p50 / p99 ms | page 50 (or last) ms |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const s of d.scale)
    for (const p of s.points)
      md.push(
        `| ${s.store} | ${p.api} | ${fmt(p.rows)} | ${fmt(p.seed.p50, 1)} / ${fmt(p.seed.p99, 1)} / ${fmt(p.seed.max, 1)}${p.seed.non2xx ? ` (${p.seed.non2xx} non-2xx)` : ''} | ${p.list.pages} | ${fmt(p.list.p50, 1)} / ${fmt(p.list.p99, 1)} | ${fmt(p.list.lastPageMs, 1)} |`,
      );
  for (const s of d.scale) for (const k of s.skipped) md.push('', `Not run: ${k}.`);
  if (!d.scale.some((s) => s.store === 'postgres'))
    md.push(
      '',
      'PostgreSQL: not run (set DATABASE_URL to a database of your own; the bench works in a schema it drops).',
    );
  md.push('', '### EXPLAIN ANALYZE of each seed operation on its largest run', '');
  for (const s of d.scale)
    for (const pl of s.plans) {
      md.push(
        `<details><summary>${s.store} · ${pl.api} · ${fmt(pl.rows)} rows · ${pl.statements.length} statement(s)</summary>`,
        '',
      );
      for (const st of pl.statements) md.push('```sql', st.sql, '```', '```', st.plan, '```', '');
      md.push('</details>', '');
    }

  const notes = new URL('../notes.md', import.meta.url);
  if (existsSync(notes)) md.push(readFileSync(notes, 'utf8'));

  const colors = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd'];
  const series = d.scale.flatMap((s) =>
    API_NAMES.map((api, i) => ({
      label: `${api} (${s.store === 'pglite' ? 'PGlite' : 'PostgreSQL'})`,
      dashed: s.store === 'postgres',
      color: colors[i] ?? '#000',
      points: s.points.filter((p) => p.api === api).map((p) => ({ rows: p.rows, ms: p.seed.p99 })),
    })),
  );
  writeFileSync(
    join(dir, 'latency-vs-rows.svg'),
    latencyChart(series, 'Seed operation p99 (sequential) against underlying rows'),
  );
  writeFileSync(join(dir, 'latest.md'), `${md.join('\n')}\n`);
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(d, null, 2)}\n`);
}

type Get = (server: string, api: ApiName, op: 'seed' | 'list', conns: number) => { rps: number };

/** Validated over unvalidated requests per second, the five seed operations summed, per connection level. */
function pooledValidation(levels: number[], get: Get): Array<[number, number]> {
  return levels.map((c) => {
    const sum = (server: string) => API_NAMES.reduce((n, api) => n + (get(server, api, 'seed', c).rps || 0), 0);
    return [c, ratio(sum('ours-uncached'), sum('ours-uncached-novalidate'))];
  });
}
