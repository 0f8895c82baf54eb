import { expect } from 'vitest';
import type { DemoTenant } from '../../server/core/types.ts';
import type { ApiName } from '../../server/store/keys.ts';
import { brokenRules } from '../helpers/seed-rules.ts';
import { specValidator } from '../helpers/spec.ts';

// biome-ignore lint/suspicious/noExplicitAny: bodies are read field by field after the spec validator checked their shape
type Json = Record<string, any>;

/** Each API's run lifecycle: where a run starts, where it ends, and which moves are legal. */
export const LIFECYCLE: Record<ApiName, { first: string; terminal: string[]; next: Record<string, string[]> }> = {
  telemetry: {
    first: 'pending',
    terminal: ['completed', 'failed'],
    next: { pending: ['running', 'failed'], running: ['completed', 'failed'] },
  },
  workflows: {
    first: 'queued',
    terminal: ['completed', 'failed', 'cancelled'],
    next: { queued: ['running', 'cancelled'], running: ['completed', 'failed', 'cancelled'] },
  },
  matching: {
    first: 'queued',
    terminal: ['completed', 'failed', 'cancelled'],
    next: {
      queued: ['running', 'cancelled'],
      running: ['ai_resolving', 'completed', 'failed', 'cancelled'],
      ai_resolving: ['completed', 'failed', 'cancelled'],
    },
  },
  taxonomy: {
    first: 'pending',
    terminal: ['succeeded', 'failed', 'canceled'],
    next: { pending: ['running', 'failed', 'canceled'], running: ['succeeded', 'failed', 'canceled'] },
  },
  samples: {
    first: 'queued',
    terminal: ['completed', 'canceled'],
    next: { queued: ['running', 'canceled'], running: ['completed', 'canceled'] },
  },
};

export const SEED_OP: Record<ApiName, string> = {
  telemetry: 'telemetryGetRunSummary',
  workflows: 'workflowsGetRunOverview',
  matching: 'matchingGetRun',
  taxonomy: 'taxonomyGetRun',
  samples: 'samplesGetRunSummary',
};

export const headersOf = (t: DemoTenant): Record<string, string> => ({
  authorization: `Bearer ${t.apiKey}`,
  ...t.headers,
});

/** What one poll of a run shows: its status and its counters (which must never go down). */
export async function observe(
  get: (path: string, headers: Record<string, string>) => Promise<Response>,
  tenant: DemoTenant,
  api: ApiName,
  run: { id: string | number; path: string },
) {
  const spec = specValidator(api);
  // Neither the telemetry nor the samples seed body carries a status: read it from the list, as a
  // UI would, and first, since a run may move on between two requests but never back.
  let listed: string | undefined;
  if (api === 'telemetry' || api === 'samples') {
    const listPath = api === 'telemetry' ? '/v1/telemetry/runs?limit=100' : '/api/v1/runs?limit=100';
    const list = (await (await get(listPath, headersOf(tenant))).json()) as Json;
    listed = (list.data as Json[]).find((r) => String(r.run_id) === String(run.id))?.status;
  }
  const res = await get(run.path, headersOf(tenant));
  const body = (await res.json()) as Json;
  expect(spec.validate(SEED_OP[api], res.status, body).errors, `${api} ${res.status}`).toBe('No errors');
  if (res.status === 200) expect(brokenRules(SEED_OP[api], body), api).toEqual([]);
  if (api === 'telemetry') {
    // A summary exists once the run is finished, and stays.
    if (['completed', 'failed'].includes(listed ?? '')) expect(res.status).toBe(200);
    else expect([404, 200]).toContain(res.status);
    return { status: listed as string, counters: [] as number[] };
  }
  if (api === 'samples') {
    expect(res.status).toBe(200);
    return { status: listed as string, counters: [body.total_samples as number] };
  }
  expect(res.status).toBe(200);
  if (api === 'workflows') {
    const d = body.data as Json;
    const done = (d.workflow_snapshot.node_states as Json[]).filter((n) => n.status !== 'pending').length;
    const lines = (d.audio_by_language as Json[]).reduce((a, l) => a + l.line_count, 0);
    const outcomes = (d.validators as Json[]).reduce((a, v) => a + v.pass_count + v.fail_count, 0);
    return { status: d.run.status as string, counters: [done, lines, outcomes] };
  }
  if (api === 'matching') return { status: body.status, counters: [body.rows_processed ?? 0, body.results.length] };
  return { status: body.status, counters: [body.record_count, body.embedding_count] };
}
