import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { workflowsApi } from '../../server/apis/workflows/index.ts';
import { demoUuid, demoWorkflowId } from '../../server/store/demo/workflows.ts';
import { bearer, startTestServer, TEST_JWT_SECRET, type TestServer } from '../helpers/server.ts';
import { specValidator } from '../helpers/spec.ts';

const spec = specValidator('workflows');
const OP = 'workflowsGetRunOverview';
const WF_A = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
const RUN_A = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const MISSING = '00000000-0000-4000-8000-000000000000';

let server: TestServer;
let alice: Record<string, string>;
let bob: Record<string, string>;
let wfB: string;
const runsA: Record<string, string> = {};
const runsB: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer({ apis: [workflowsApi], rateLimit: { limit: 10_000 } });
  const [a, b] = server.demo.workflows ?? [];
  alice = bearer(a?.apiKey ?? '');
  bob = bearer(b?.apiKey ?? '');
  for (const r of a?.runs ?? []) runsA[r.status] = String(r.id);
  for (const r of b?.runs ?? []) runsB[r.status] = String(r.id);
  wfB = demoWorkflowId(b?.tenant ?? '') ?? '';
});
afterAll(() => server.close());

type Overview = {
  data: {
    run: { status: string; error: string | null; completed_at: string | null };
    workflow_snapshot: { node_states: Array<Record<string, unknown>> };
    metric_sections: Array<{ key: string; metrics: Array<Record<string, unknown>> }>;
    audio_by_language: unknown[];
    validators: Array<Record<string, unknown>>;
    capabilities: Record<string, boolean>;
    future_links: Record<string, string | null>;
  };
  meta: { request_id: string; timestamp: string };
};

async function overview(wf: string, run: string, headers: Record<string, string> = alice) {
  const res = await server.get(`/api/v1/workflows/${wf}/runs/${run}/overview`, headers);
  const body = (await res.json()) as Overview;
  expect(spec.validate(OP, res.status, body).errors).toBe('No errors');
  return { res, body };
}

describe('workflows run overview: aggregates', () => {
  test('a completed run answers every section computed from its rows', async () => {
    const { res, body } = await overview(WF_A, RUN_A);
    expect(res.status).toBe(200);
    const base = `https://app.onepin.ai/workflows/${WF_A}/runs/${RUN_A}`;
    expect(body.data).toEqual({
      workflow: { id: WF_A, name: 'Customer Feedback Analysis' },
      run: {
        id: RUN_A,
        status: 'completed',
        created_at: '2026-03-02T09:00:00.000Z',
        started_at: '2026-03-02T09:00:05.000Z',
        completed_at: '2026-03-02T09:13:25.000Z',
        has_export: true,
        error: null,
      },
      workflow_snapshot: {
        definition: { version: '1.2.3', steps: ['ingest', 'process', 'validate', 'export'] },
        node_states: [
          node('node-ingest', 'ingest', 0, '09:00:05', '09:01:05', 60_000),
          node('node-process', 'process', 0, '09:03:25', '09:04:55', 90_000),
          node('node-validate', 'validator', 1, '09:06:45', '09:08:45', 120_000),
          node('node-export', 'export', 0, '09:10:05', '09:12:35', 150_000),
        ],
      },
      metric_sections: [
        {
          key: 'summary_metrics',
          layout: 'grid',
          title: 'Summary Metrics',
          metrics: [
            metric('total_responses', 'Total Responses', 1250, '1,250', 'responses', 'primary', 'bold'),
            metric('export_size', 'Export Size', 48213, '48,213', 'bytes', 'secondary', 'normal'),
          ],
        },
        {
          key: 'quality',
          layout: 'list',
          title: 'Quality',
          metrics: [metric('avg_sentiment', 'Average Sentiment', 0.82, '0.82', null, 'muted', 'normal')],
        },
      ],
      audio_by_language: [
        { locale_code: 'en-US', line_count: 3, total_duration_ms: 21_600, avg_duration_ms: 7200 },
        { locale_code: 'fr-FR', line_count: 2, total_duration_ms: 11_000, avg_duration_ms: 5500 },
      ],
      // outcomes PPQQPPFFR: 6 pass (4 x 0.9, 2 x 1.0), 2 fail (0.4), 1 retry
      validators: [
        {
          node_id: 'node-validate',
          kind: 'quality_check',
          label: 'Sentiment Accuracy Validator',
          status: 'available',
          avg_score: 0.8,
          pass_rate: 0.75,
          pass_count: 6,
          fail_count: 2,
          retry_count: 1,
          reason: null,
        },
      ],
      capabilities: { validator_drilldown: true, live_trace_timing: true, persisted_aggregates: true },
      future_links: { validator_drilldown: `${base}/validators`, live_trace: `${base}/live-trace` },
    });
  });

  test('validator, audio and node figures follow the rows: adding rows changes them', async () => {
    const runId = demoUuid('test:aggregates');
    const db = server.store.db;
    await db.query(
      `INSERT INTO workflows_runs (id, workflow_id, workspace_id, status, definition, created_at, started_at)
       VALUES ($1, $2, 'ws_acme_research', 'running', '{"version":"9","steps":[]}', '2020-01-01T00:00:00Z', '2020-01-01T00:00:01Z')`,
      [runId, WF_A],
    );
    await db.query(
      `INSERT INTO workflows_node_executions (run_id, node_id, node_type, status, iteration, started_at, completed_at)
       VALUES ($1, 'v', 'validator', 'completed', 2, '2020-01-01T00:00:01Z', '2020-01-01T00:00:02.234Z')`,
      [runId],
    );
    await db.query(
      `INSERT INTO workflows_run_validators (run_id, node_id, kind, label, position) VALUES ($1, 'v', 'k', 'V', 0)`,
      [runId],
    );
    const outcomes: Array<[string, number | null]> = [
      ['pass', 0.5],
      ['pass', 0.7],
      ['fail', 0.2],
      ['retry', null],
      ['retry', 0.1],
    ];
    for (const [outcome, score] of outcomes) {
      await db.query(
        `INSERT INTO workflows_validator_outcomes (run_id, node_id, outcome, score) VALUES ($1, 'v', $2, $3)`,
        [runId, outcome, score],
      );
    }
    for (const [locale, ms] of [
      ['es-ES', 1000],
      ['es-ES', 2000],
      ['es-ES', 4000],
      ['ca-ES', 10],
    ] as const) {
      await db.query('INSERT INTO workflows_audio_lines (run_id, locale_code, duration_ms) VALUES ($1, $2, $3)', [
        runId,
        locale,
        ms,
      ]);
    }
    const before = (await overview(WF_A, runId)).body.data;
    expect(before.workflow_snapshot.node_states[0]).toMatchObject({ duration_ms: 1234, iteration: 2 });
    expect(before.validators[0]).toMatchObject({
      status: 'available',
      pass_count: 2,
      fail_count: 1,
      retry_count: 2,
      pass_rate: 0.6667, // 2 / (2 + 1): retries decide nothing
      avg_score: 0.4667, // (0.5 + 0.7 + 0.2) / 3
    });
    expect(before.audio_by_language).toEqual([
      { locale_code: 'ca-ES', line_count: 1, total_duration_ms: 10, avg_duration_ms: 10 },
      { locale_code: 'es-ES', line_count: 3, total_duration_ms: 7000, avg_duration_ms: 2333.33 },
    ]);
    await db.query(
      `INSERT INTO workflows_validator_outcomes (run_id, node_id, outcome, score) VALUES ($1, 'v', 'fail', 0)`,
      [runId],
    );
    await db.query(`INSERT INTO workflows_audio_lines (run_id, locale_code, duration_ms) VALUES ($1, 'ca-ES', 30)`, [
      runId,
    ]);
    const after = (await overview(WF_A, runId)).body.data;
    expect(after.validators[0]).toMatchObject({ pass_count: 2, fail_count: 2, pass_rate: 0.5, avg_score: 0.35 });
    expect(after.audio_by_language[0]).toEqual({
      locale_code: 'ca-ES',
      line_count: 2,
      total_duration_ms: 40,
      avg_duration_ms: 20,
    });
  });

  test('a failed run: the failing node carries its error, the validator with only retries is unavailable', async () => {
    const { body } = await overview(WF_A, runsA.failed ?? '');
    expect(body.data.run).toMatchObject({ status: 'failed', error: expect.stringContaining('timed out') });
    const [, , validate, exported] = body.data.workflow_snapshot.node_states;
    expect(validate).toMatchObject({ status: 'failed', iteration: 3, duration_ms: 120_000 });
    expect(validate?.error).toBe('Validation model timed out');
    expect(exported).toMatchObject({ status: 'skipped', started_at: null, completed_at: null, duration_ms: null });
    expect(body.data.validators[0]).toEqual({
      node_id: 'node-validate',
      kind: 'quality_check',
      label: 'Sentiment Accuracy Validator',
      status: 'unavailable',
      avg_score: null,
      pass_rate: null,
      pass_count: 0,
      fail_count: 0,
      retry_count: 3,
      reason: 'The validator failed before producing any outcome',
    });
    expect(body.data.capabilities).toEqual({
      validator_drilldown: false,
      live_trace_timing: true,
      persisted_aggregates: true,
    });
    expect(body.data.future_links.validator_drilldown).toBeNull();
    expect(body.data.audio_by_language).toEqual([]);
  });

  test('a running run: unfinished nodes have no duration, a metric not yet computed is unavailable', async () => {
    const { body } = await overview(WF_A, runsA.running ?? '');
    expect(body.data.run).toMatchObject({ status: 'running', completed_at: null, error: null });
    expect(body.data.workflow_snapshot.node_states.map((n) => [n.status, n.duration_ms])).toEqual([
      ['completed', 60_000],
      ['completed', 90_000],
      ['running', null],
      ['pending', null],
    ]);
    expect(body.data.metric_sections[0]?.metrics[1]).toEqual({
      key: 'export_size',
      label: 'Export Size',
      formatted_value: null,
      status: 'unavailable',
      display: { variant: 'secondary', emphasis: 'normal' },
      value: null,
      unit: 'bytes',
      reason: 'The export node has not run yet',
    });
    expect(body.data.validators[0]).toMatchObject({ pass_count: 3, fail_count: 1, pass_rate: 0.75, avg_score: 0.8 });
    expect(body.data.capabilities.persisted_aggregates).toBe(false);
  });

  test('a queued run has no node states and no timing, and its validator has no outcome yet', async () => {
    const { body } = await overview(WF_A, runsA.queued ?? '');
    expect(body.data.run).toMatchObject({ status: 'queued', started_at: null, completed_at: null });
    expect(body.data.workflow_snapshot.node_states).toEqual([]);
    expect(body.data.metric_sections).toEqual([]);
    expect(body.data.validators[0]).toMatchObject({
      status: 'unavailable',
      retry_count: 0,
      reason: 'No validator outcome has been recorded yet',
    });
    expect(body.data.capabilities).toEqual({
      validator_drilldown: false,
      live_trace_timing: false,
      persisted_aggregates: false,
    });
    expect(body.data.future_links).toEqual({ validator_drilldown: null, live_trace: null });
  });

  test.each(['completed', 'failed', 'cancelled', 'running', 'queued'])(
    'the %s demo run of each workspace answers a body that validates',
    async (status) => {
      const a = await overview(WF_A, runsA[status] ?? '');
      const b = await overview(wfB, runsB[status] ?? '', bob);
      expect([a.res.status, b.res.status]).toEqual([200, 200]);
      expect([a.body.data.run.status, b.body.data.run.status]).toEqual([status, status]);
    },
  );

  test('a workspace with two validators aggregates each from its own outcomes', async () => {
    const { body } = await overview(wfB, runsB.completed ?? '', bob);
    expect(
      body.data.validators.map((v) => [v.node_id, v.pass_count, v.fail_count, v.retry_count, v.pass_rate, v.avg_score]),
    ).toEqual([
      ['node-qa', 3, 1, 0, 0.75, 0.825],
      ['node-timing', 5, 0, 1, 1, 0.9],
    ]);
    expect(body.data.audio_by_language).toEqual([
      { locale_code: 'de-DE', line_count: 4, total_duration_ms: 16_000, avg_duration_ms: 4000 },
      { locale_code: 'ja-JP', line_count: 2, total_duration_ms: 6000, avg_duration_ms: 3000 },
    ]);
  });
});

describe('workflows run overview: workspaces', () => {
  const notFound = async (wf: string, run: string, headers: Record<string, string>) => {
    const res = await server.get(`/api/v1/workflows/${wf}/runs/${run}/overview`, headers);
    expect(res.status).toBe(404);
    const text = await res.text();
    expect(spec.validate(OP, 404, JSON.parse(text)).errors).toBe('No errors');
    return text;
  };

  test("another workspace's workflow answers byte for byte like a workflow that does not exist", async () => {
    const foreign = await notFound(wfB, runsB.completed ?? '', alice);
    const missing = await notFound(MISSING, runsB.completed ?? '', alice);
    expect(foreign).toBe(missing);
    expect(JSON.parse(foreign)).toEqual({ detail: 'Workflow not found' });
  });

  test("another workspace's run under one's own workflow answers like a run that does not exist", async () => {
    const foreign = await notFound(WF_A, runsB.completed ?? '', alice);
    const missing = await notFound(WF_A, MISSING, alice);
    expect(foreign).toBe(missing);
    expect(JSON.parse(foreign)).toEqual({ detail: 'Run not found' });
  });

  test('X-Workspace-Id selects another of the caller’s workspaces', async () => {
    const inB = await overview(wfB, runsB.completed ?? '', {
      ...(await aliceJwt()),
      'x-workspace-id': 'ws_globex_media',
    });
    expect(inB.res.status).toBe(200);
    expect(inB.body.data).toMatchObject({ workflow: { name: 'Podcast Localization' } });
    // The default workspace is no longer read once another is selected.
    const res = await server.get(`/api/v1/workflows/${WF_A}/runs/${RUN_A}/overview`, {
      ...(await aliceJwt()),
      'x-workspace-id': 'ws_globex_media',
    });
    expect(res.status).toBe(404);
  });

  test('a workspace the caller is not a member of answers like a missing workflow', async () => {
    const notMember = await notFound(WF_A, RUN_A, { ...bob, 'x-workspace-id': 'ws_acme_research' });
    const unknown = await notFound(WF_A, RUN_A, { ...bob, 'x-workspace-id': 'ws_does_not_exist' });
    const missing = await notFound(MISSING, RUN_A, bob);
    expect(notMember).toBe(missing);
    expect(unknown).toBe(missing);
  });

  test('without X-Workspace-Id the caller’s default workspace is read', async () => {
    expect((await overview(WF_A, RUN_A, alice)).res.status).toBe(200);
    expect((await overview(wfB, runsB.completed ?? '', bob)).res.status).toBe(200);
  });
});

describe('workflows run overview: input and envelope', () => {
  test('a malformed run_id is a 422 naming the path parameter, worded as pydantic does', async () => {
    const res = await server.get(`/api/v1/workflows/${WF_A}/runs/not-a-uuid/overview`, alice);
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(spec.validate(OP, 422, body).errors).toBe('No errors');
    // The spec's own invalid_uuid example, verbatim.
    expect(body).toEqual(exampleOf('invalid_uuid'));
  });

  test.each([
    ['12345', 'invalid length: expected length 32 for simple format, found 5'],
    ['3fa85f64-5717-4562-b3fc', 'invalid group count: expected 5, found 4'],
    ['3fa85f64-57170-4562-b3fc-2c963f66afa6', 'invalid group length in group 1: expected 4, found 5'],
  ])('workflow_id %s is a 422 with the uuid parser’s reason', async (id, reason) => {
    const res = await server.get(`/api/v1/workflows/${id}/runs/${RUN_A}/overview`, alice);
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(spec.validate(OP, 422, body).errors).toBe('No errors');
    expect(body).toEqual({
      detail: [{ loc: ['path', 'workflow_id'], msg: `Input should be a valid UUID, ${reason}`, type: 'uuid_parsing' }],
    });
  });

  test('an X-Workspace-Id over 255 characters is a 422 on the header', async () => {
    const res = await server.get(`/api/v1/workflows/${WF_A}/runs/${RUN_A}/overview`, {
      ...alice,
      'x-workspace-id': 'w'.repeat(256),
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({
      detail: [
        {
          loc: ['header', 'x-workspace-id'],
          msg: 'String should have at most 255 characters',
          type: 'string_too_long',
        },
      ],
    });
  });

  test('credentials are checked before input: a bad key with a bad id is a 401', async () => {
    const res = await server.get(`/api/v1/workflows/${WF_A}/runs/not-a-uuid/overview`, bearer('op_live_nope'));
    expect(res.status).toBe(401);
  });

  test('meta.request_id equals the X-Request-Id header, generated or given', async () => {
    const generated = await overview(WF_A, RUN_A);
    expect(generated.body.meta.request_id).toBe(generated.res.headers.get('x-request-id'));
    expect(generated.body.meta.request_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Math.abs(Date.parse(generated.body.meta.timestamp) - Date.now())).toBeLessThan(60_000);
    const given = await overview(WF_A, RUN_A, { ...alice, 'x-request-id': 'trace-wf-42' });
    expect(given.res.headers.get('x-request-id')).toBe('trace-wf-42');
    expect(given.body.meta.request_id).toBe('trace-wf-42');
  });

  test('errors carry X-Request-Id too', async () => {
    const res = await server.get(`/api/v1/workflows/${WF_A}/runs/${MISSING}/overview`, alice);
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });
});

describe('workflows run overview: failures', () => {
  test('a handler body that breaks the contract is caught and answered as the spec’s 500', async () => {
    const s = await server.sibling({
      handlerOverrides: { [OP]: ({ res }) => void res.json({ data: { surprise: true } }) },
    });
    try {
      const res = await s.get(`/api/v1/workflows/${WF_A}/runs/${RUN_A}/overview`, alice);
      expect(res.status).toBe(500);
      const body = await res.json();
      expect(spec.validate(OP, 500, body).errors).toBe('No errors');
    } finally {
      await s.close();
    }
  });

  test('a lost store is a 503 with Retry-After, even while checking credentials', async () => {
    const s = await startTestServer({ apis: [workflowsApi] });
    await s.store.db.close();
    const res = await s.get(`/api/v1/workflows/${WF_A}/runs/${RUN_A}/overview`, alice);
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(spec.validate(OP, 503, await res.json()).errors).toBe('No errors');
    await s.close().catch(() => {});
  });
});

function exampleOf(name: string): unknown {
  const content = spec.response(OP, 422).content as Record<string, { examples: Record<string, { value: unknown }> }>;
  return content['application/json']?.examples[name]?.value;
}

function node(id: string, type: string, iteration: number, start: string, end: string, duration: number) {
  return {
    node_id: id,
    node_type: type,
    status: 'completed',
    iteration,
    started_at: `2026-03-02T${start}.000Z`,
    completed_at: `2026-03-02T${end}.000Z`,
    duration_ms: duration,
    error: null,
  };
}

function metric(
  key: string,
  label: string,
  value: number,
  formatted: string,
  unit: string | null,
  variant: string,
  emphasis: string,
) {
  return {
    key,
    label,
    formatted_value: formatted,
    status: 'available',
    display: { variant, emphasis },
    value,
    unit,
    reason: null,
  };
}

/** Alice signed in (a JWT): a user picks among all her workspaces, a live key only its own. */
async function aliceJwt(): Promise<Record<string, string>> {
  const token = await new SignJWT({ sub: 'user_demo_alice' })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(TEST_JWT_SECRET));
  return bearer(token);
}

describe('workflows live keys are bound to one workspace', () => {
  test("alice's key cannot pick her other workspace with X-Workspace-Id", async () => {
    const res = await server.get(`/api/v1/workflows/${wfB}/runs/${runsB.completed ?? ''}/overview`, {
      ...alice,
      'x-workspace-id': 'ws_globex_media',
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ detail: 'Workflow not found' });
  });
});
