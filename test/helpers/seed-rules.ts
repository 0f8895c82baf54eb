/**
 * The rules of the vendor pages (kept as test/fixtures/seeds/) (and the store that implements them) as checks over 200
 * bodies: what a schema cannot say because it ties two fields together. Each check returns the
 * rules a body breaks, so a test can name them. Shared by the example test and the live-mode test.
 */
import type { ApiName } from '../../server/core/types.ts';

type Json = Record<string, unknown>;
type Check = (body: Json) => string[];

const time = (v: unknown): number | undefined => (typeof v === 'string' ? Date.parse(v) : undefined);
const sum = (o: unknown): number => Object.values((o ?? {}) as Record<string, number>).reduce((a, b) => a + b, 0);
const near = (a: number, b: number, eps: number) => Math.abs(a - b) <= eps;

/** created <= started <= finished, skipping the ones that are unset. */
function ordered(label: string, ...stamps: Array<[string, unknown]>): string[] {
  const set = stamps.filter(([, v]) => typeof v === 'string') as Array<[string, string]>;
  const out: string[] = [];
  for (let i = 1; i < set.length; i++) {
    const [a, av] = set[i - 1] as [string, string];
    const [b, bv] = set[i] as [string, string];
    if ((time(av) ?? 0) > (time(bv) ?? 0)) out.push(`${label}: ${a} after ${b}`);
  }
  return out;
}

const telemetrySummary: Check = (b) => {
  const out: string[] = [];
  const cells = sum(b.strategy_distribution);
  if (cells !== sum(b.tier_funnel)) out.push('strategy_distribution and tier_funnel count different cells');
  const rates = (b.capture_hit_rate as number) + (b.synthesize_rate as number);
  if (rates > 1 + 1e-9) out.push('capture_hit_rate + synthesize_rate above 1');
  if (cells === 0 && rates !== 0) out.push('rates above 0 with no cells');
  return out;
};

const telemetryListItem: Check = (r) => {
  const finished = r.status === 'completed' || r.status === 'failed';
  const out = finished === (r.completed_at !== null) ? [] : [`${r.status} run with completed_at ${r.completed_at}`];
  return [...out, ...ordered(String(r.run_id), ['created_at', r.created_at], ['completed_at', r.completed_at])];
};

const workflowsRun = (run: Json): string[] => {
  const out: string[] = [];
  const s = run.status as string;
  if (s === 'queued' && run.started_at !== null) out.push('queued run with started_at');
  if (s !== 'queued' && run.started_at === null && s !== 'cancelled') out.push(`${s} run without started_at`);
  const final = ['completed', 'failed', 'cancelled'].includes(s);
  if (final !== (run.completed_at !== null)) out.push(`${s} run with completed_at ${run.completed_at}`);
  if ((s === 'failed') !== (run.error !== null)) out.push(`${s} run with error ${run.error}`);
  if (s !== 'completed' && run.has_export === true) out.push(`${s} run with an export`);
  return [
    ...out,
    ...ordered(
      `run ${run.id}`,
      ['created_at', run.created_at],
      ['started_at', run.started_at],
      ['completed_at', run.completed_at],
    ),
  ];
};

const workflowsOverview: Check = (body) => {
  const d = body.data as Json;
  const run = d.run as Json;
  const out = workflowsRun(run);
  for (const n of ((d.workflow_snapshot as Json).node_states ?? []) as Json[]) {
    if (n.status === 'completed' && (n.completed_at === null || n.started_at === null))
      out.push(`node ${n.node_id} completed without timestamps`);
    if (typeof n.duration_ms === 'number' && n.started_at && n.completed_at) {
      const span = (time(n.completed_at) ?? 0) - (time(n.started_at) ?? 0);
      if (span !== n.duration_ms) out.push(`node ${n.node_id} duration_ms ${n.duration_ms} is not ${span}`);
    }
    if (n.status === 'pending' && n.started_at !== null) out.push(`pending node ${n.node_id} has started_at`);
  }
  for (const v of (d.validators ?? []) as Json[]) {
    const n = (v.pass_count as number) + (v.fail_count as number);
    if (typeof v.pass_rate === 'number' && n > 0 && !near(v.pass_rate, (v.pass_count as number) / n, 0.005))
      out.push(`validator ${v.node_id} pass_rate is not pass/(pass+fail)`);
  }
  for (const a of (d.audio_by_language ?? []) as Json[]) {
    const lines = a.line_count as number;
    if (lines > 0 && !near(a.avg_duration_ms as number, (a.total_duration_ms as number) / lines, 1))
      out.push(`${a.locale_code} avg_duration_ms is not total/lines`);
  }
  for (const link of Object.values((d.future_links ?? {}) as Json)) {
    const wf = (d.workflow as Json).id;
    if (typeof link === 'string' && !link.includes(`/workflows/${wf}/runs/${run.id}/`))
      out.push(`link ${link} is not this run's`);
  }
  return out;
};

const matchingRun: Check = (r) => {
  const out: string[] = [];
  const s = r.status as string;
  const processed = r.rows_processed as number | null;
  const matched = r.rows_matched as number | null;
  if (s === 'queued') {
    if (processed !== null || matched !== null || r.avg_confidence !== null) out.push('queued run with counters');
    if (r.started_at !== null) out.push('queued run with started_at');
  } else if (r.started_at === null) out.push(`${s} run without started_at`);
  if (processed !== null && matched !== null && matched > processed) out.push('rows_matched above rows_processed');
  if ((matched ?? 0) > 0 !== (r.avg_confidence !== null))
    out.push('avg_confidence set without matches (or unset with)');
  const final = ['completed', 'failed', 'cancelled'].includes(s);
  if (final !== (r.completed_at !== null)) out.push(`${s} run with completed_at ${r.completed_at}`);
  if ((s === 'failed') !== (r.error !== null)) out.push(`${s} run with error ${r.error}`);
  const links = r.links as Json;
  if (links.self !== `/v1/matching/runs/${r.id}`) out.push('links.self is not this run');
  if (links.config !== `/v1/matching/configs/${r.matching_config_id}`) out.push('links.config is not its config');
  const results = r.results as Json[] | undefined;
  if (results) {
    if (results.length > 50) out.push('more than 50 results');
    if (results.length > (processed ?? 0)) out.push('more results than rows processed');
    for (let i = 1; i < results.length; i++) {
      if ((results[i]?.confidence as number) > (results[i - 1]?.confidence as number))
        out.push('results not ordered by confidence descending');
    }
  }
  return [
    ...out,
    ...ordered(
      String(r.id),
      ['created_at', r.created_at],
      ['started_at', r.started_at],
      ['completed_at', r.completed_at],
    ),
  ];
};

const taxonomyRun: Check = (r) => {
  const out: string[] = [];
  const s = r.status as string;
  const has = (k: string) => r[k] !== undefined;
  if (s === 'pending' && (has('started_at') || (r.cluster_count as number) > 0)) out.push('pending run has started');
  if (s === 'running' && !has('started_at')) out.push('running run without started_at');
  const terminal = ['succeeded', 'failed', 'canceled'].includes(s);
  if (terminal !== has('finished_at')) out.push(`${s} run with finished_at ${r.finished_at}`);
  if ((s === 'failed') !== has('error_code') || (s === 'failed') !== has('error'))
    out.push(`${s} run with error/error_code ${r.error}/${r.error_code}`);
  if (s === 'succeeded' && !has('started_at')) out.push('succeeded run never started');
  if ((r.embedding_count as number) > (r.record_count as number)) out.push('more embeddings than records');
  if ((r.cluster_count as number) > (r.node_count as number)) out.push('more clusters than nodes');
  if ((time(r.updated_at) ?? 0) < (time(r.finished_at ?? r.started_at ?? r.created_at) ?? 0))
    out.push('updated_at before the last change');
  return [
    ...out,
    ...ordered(
      String(r.id),
      ['created_at', r.created_at],
      ['started_at', r.started_at],
      ['finished_at', r.finished_at],
    ),
  ];
};

const samplesSummary: Check = (b) => {
  const out: string[] = [];
  const n = (k: string) => (b[k] as number | undefined) ?? 0;
  if (n('pass_count') + n('fail_count') + n('skipped_count') !== n('total_samples'))
    out.push('pass + fail + skipped is not total_samples');
  if (n('error_count') > n('fail_count')) out.push('error_count above fail_count');
  if (n('missing_output_count') > n('fail_count')) out.push('missing_output_count above fail_count');
  return out;
};

const samplesListItem: Check = (r) => {
  const out: string[] = [];
  const finished = r.status !== 'queued' && r.status !== 'running';
  if (finished !== (r.completed_at !== null)) out.push(`${r.status} run with completed_at ${r.completed_at}`);
  if (r.failed !== (r.status === 'canceled')) out.push(`${r.status} run with failed ${r.failed}`);
  return [...out, ...ordered(String(r.run_id), ['created_at', r.created_at], ['completed_at', r.completed_at])];
};

const each =
  (check: Check): Check =>
  (b) =>
    ((b.data ?? []) as Json[]).flatMap(check);

/** Per operationId: the rules its 200 bodies keep. */
export const seedRules: Record<string, Check> = {
  telemetryGetRunSummary: telemetrySummary,
  telemetryGetSchemaSummary: telemetrySummary,
  telemetryListRuns: each(telemetryListItem),
  workflowsGetRunOverview: workflowsOverview,
  workflowsListRuns: (b) => ((b.data ?? []) as Json[]).flatMap(workflowsRun),
  matchingGetRun: matchingRun,
  matchingListRuns: each(matchingRun),
  taxonomyGetRun: taxonomyRun,
  taxonomyListRuns: each(taxonomyRun),
  samplesGetRunSummary: samplesSummary,
  samplesListRuns: each(samplesListItem),
};

/** The rules a 200 body of that operation breaks (empty: it keeps them all). */
export function brokenRules(operationId: string, body: unknown): string[] {
  const check = seedRules[operationId];
  if (!check) throw new Error(`no seed rules for ${operationId}`);
  return check(body as Json);
}

export type { ApiName };
