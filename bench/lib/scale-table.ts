import { latencyChart } from './chart.ts';
import { API_NAMES } from './dataset.ts';
import { fmt } from './format.ts';
import type { ScaleResult } from './scale.ts';

/** The scale series as a person reads it: one row per store, API and step, then each plan folded. */
export function scaleTable(scale: ScaleResult[]): string[] {
  const md = [
    '| store | API | rows | seed p50 / p99 / max ms | list: pages | list p50 / p99 ms | page 50 (or last) ms |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const s of scale)
    for (const p of s.points)
      md.push(
        `| ${s.store} | ${p.api} | ${fmt(p.rows)} | ${fmt(p.seed.p50, 1)} / ${fmt(p.seed.p99, 1)} / ${fmt(p.seed.max, 1)}${p.seed.non2xx ? ` (${p.seed.non2xx} non-2xx)` : ''} | ${p.list.pages} | ${fmt(p.list.p50, 1)} / ${fmt(p.list.p99, 1)} | ${fmt(p.list.lastPageMs, 1)} |`,
      );
  for (const s of scale) for (const k of s.skipped) md.push('', `Not run: ${k}.`);
  return md;
}

export function scalePlans(scale: ScaleResult[]): string[] {
  const md: string[] = [];
  for (const s of scale)
    for (const pl of s.plans) {
      md.push(
        `<details><summary>${s.store} · ${pl.api} · ${fmt(pl.rows)} rows · ${pl.statements.length} statement(s)</summary>`,
        '',
      );
      for (const st of pl.statements) md.push('```sql', st.sql, '```', '```', st.plan, '```', '');
      md.push('</details>', '');
    }
  return md;
}

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd'];

/** The SVG beside a scale table: each API's seed-operation p99 against rows, PostgreSQL dashed. */
export function scaleChart(scale: ScaleResult[], title: string): string {
  const series = scale.flatMap((s) =>
    API_NAMES.map((api, i) => ({
      label: `${api} (${s.store === 'pglite' ? 'PGlite' : 'PostgreSQL'})`,
      dashed: s.store === 'postgres',
      color: COLORS[i] ?? '#000',
      points: s.points.filter((p) => p.api === api).map((p) => ({ rows: p.rows, ms: p.seed.p99 })),
    })),
  );
  return latencyChart(series, title);
}
