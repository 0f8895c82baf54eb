import type { components } from '../../../generated/workflows.ts';
import type { Queryable } from '../db.ts';
import { insertKey } from '../keys.ts';
import type { SeededRun, SeededTenant } from './seeded.ts';
import { stableUuid } from './stable-uuid.ts';

type RunStatus = components['schemas']['WorkflowsRunStatus'];

/** A stable UUID per demo name, so ids are the same on every machine and every start. */
export const demoUuid = (name: string): string => stableUuid(`workflows-demo:${name}`);

/** Demo users and keys are public by design: they only open the demo dataset. */
export const WORKFLOWS_DEMO_USERS = [
  // alice is in both workspaces (default: acme); bob only in globex.
  {
    user: 'user_demo_alice',
    apiKey: 'op_live_demo_alice_7f3a9c2e5b1d',
    workspaces: ['ws_acme_research', 'ws_globex_media'],
  },
  { user: 'user_demo_bob', apiKey: 'op_live_demo_bob_4e8d2a6c9f0b', workspaces: ['ws_globex_media'] },
] as const;

/**
 * Per status: one letter per node (C completed, R running, P pending, X failed, S skipped; none
 * while queued), one outcome string per validator (P pass 0.9, Q pass 1.0, F fail 0.4, R retry),
 * audio line durations per locale, and one value per metric (null: unavailable).
 */
interface RunPlan {
  nodes: string;
  outcomes: string[];
  audio: number[][];
  metrics: Array<number | null>;
  hasExport?: boolean;
  error?: string;
  nodeError?: string;
}

interface WorkflowPlan {
  workspace: { id: string; name: string };
  workflow: { id: string; name: string; definition: { version: string; steps: string[] } };
  nodes: Array<[id: string, type: string]>;
  validators: Array<[nodeId: string, kind: string, label: string]>;
  locales: string[];
  sections: Array<{ key: string; title: string; layout: 'grid' | 'list'; metrics: MetricPlan[] }>;
  runs: Record<RunStatus, RunPlan>;
}

type MetricPlan = [key: string, label: string, unit: string | null, variant: string, emphasis: string, reason: string];

const EXPORT_PENDING = 'The export node has not run yet';

export const WORKFLOWS_DEMO: WorkflowPlan[] = [
  {
    workspace: { id: 'ws_acme_research', name: 'Acme Research' },
    workflow: {
      id: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
      name: 'Customer Feedback Analysis',
      definition: { version: '1.2.3', steps: ['ingest', 'process', 'validate', 'export'] },
    },
    nodes: [
      ['node-ingest', 'ingest'],
      ['node-process', 'process'],
      ['node-validate', 'validator'],
      ['node-export', 'export'],
    ],
    validators: [['node-validate', 'quality_check', 'Sentiment Accuracy Validator']],
    locales: ['en-US', 'fr-FR'],
    sections: [
      {
        key: 'summary_metrics',
        title: 'Summary Metrics',
        layout: 'grid',
        metrics: [
          ['total_responses', 'Total Responses', 'responses', 'primary', 'bold', 'No response was ingested'],
          ['export_size', 'Export Size', 'bytes', 'secondary', 'normal', EXPORT_PENDING],
        ],
      },
      {
        key: 'quality',
        title: 'Quality',
        layout: 'list',
        metrics: [['avg_sentiment', 'Average Sentiment', null, 'muted', 'normal', 'Sentiment is scored at the end']],
      },
    ],
    runs: {
      completed: {
        nodes: 'CCCC',
        outcomes: ['PPQQPPFFR'],
        audio: [
          [7000, 7400, 7200],
          [5000, 6000],
        ],
        metrics: [1250, 48213, 0.82],
        hasExport: true,
      },
      failed: {
        nodes: 'CCXS',
        outcomes: ['RRR'],
        audio: [[], []],
        metrics: [40, null, null],
        error: 'Node node-validate (validator) failed: validation model timed out after 3 retries',
        nodeError: 'Validation model timed out',
      },
      cancelled: { nodes: 'CSSS', outcomes: [''], audio: [[6400], []], metrics: [12, null, null] },
      running: { nodes: 'CCRP', outcomes: ['PQPF'], audio: [[8000, 7000], []], metrics: [312, null, null] },
      queued: { nodes: '', outcomes: [''], audio: [[], []], metrics: [] },
    },
  },
  {
    workspace: { id: 'ws_globex_media', name: 'Globex Media' },
    workflow: {
      id: demoUuid('globex:podcast-localization'),
      name: 'Podcast Localization',
      definition: { version: '2.0.1', steps: ['transcribe', 'translate', 'review', 'time', 'synthesize'] },
    },
    nodes: [
      ['node-transcribe', 'transcribe'],
      ['node-translate', 'translate'],
      ['node-qa', 'validator'],
      ['node-timing', 'validator'],
      ['node-synthesize', 'synthesize'],
    ],
    validators: [
      ['node-qa', 'translation_review', 'Translation QA'],
      ['node-timing', 'timing_check', 'Lip-sync Timing Check'],
    ],
    locales: ['de-DE', 'ja-JP'],
    sections: [
      {
        key: 'summary_metrics',
        title: 'Summary Metrics',
        layout: 'grid',
        metrics: [
          ['episodes', 'Episodes', 'episodes', 'primary', 'bold', 'No episode was transcribed'],
          ['audio_minutes', 'Audio Minutes', 'min', 'secondary', 'normal', 'Synthesis has not run yet'],
        ],
      },
    ],
    runs: {
      completed: {
        nodes: 'CCCCC',
        outcomes: ['QQPF', 'PPPPPR'],
        audio: [
          [3000, 4000, 5000, 4000],
          [2500, 3500],
        ],
        metrics: [3, 42.5],
        hasExport: true,
      },
      failed: {
        nodes: 'CCCXS',
        outcomes: ['QP', 'RRR'],
        audio: [[3100], []],
        metrics: [1, null],
        error: 'Node node-timing (validator) failed: audio drifted beyond 200 ms after 3 retries',
        nodeError: 'Audio drifted beyond 200 ms',
      },
      cancelled: { nodes: 'CCSSS', outcomes: ['', ''], audio: [[], []], metrics: [2, null] },
      running: { nodes: 'CCRPP', outcomes: ['PF', ''], audio: [[], [2800]], metrics: [4, null] },
      queued: { nodes: '', outcomes: ['', ''], audio: [[], []], metrics: [] },
    },
  },
];

/** Oldest first, so the list (newest first) shows queued, running, cancelled, failed, completed. */
export const DEMO_STATUSES: RunStatus[] = ['completed', 'failed', 'cancelled', 'running', 'queued'];
const BASE = Date.parse('2026-03-02T09:00:00.000Z');
const NODE_SLOT_S = 200;
const NODE_STATUS: Record<string, string> = { C: 'completed', R: 'running', P: 'pending', X: 'failed', S: 'skipped' };
const OUTCOME: Record<string, [string, number | null]> = {
  P: ['pass', 0.9],
  Q: ['pass', 1],
  F: ['fail', 0.4],
  R: ['retry', null],
};

/** The demo workflow of a workspace (each demo workspace has one). */
export const demoWorkflowId = (workspaceId: string): string | undefined =>
  WORKFLOWS_DEMO.find((plan) => plan.workspace.id === workspaceId)?.workflow.id;

/** The published example's run keeps its id; every other demo run gets a stable derived one. */
export const demoRunId = (plan: WorkflowPlan, status: RunStatus): string =>
  plan.workspace.id === 'ws_acme_research' && status === 'completed'
    ? '7c9e6679-7425-40de-944b-e07fc1f90ae7'
    : demoUuid(`${plan.workspace.id}:run:${status}`);

/** A workflows run is read under its workflow. */
export type WorkflowsSeededRun = SeededRun & { workflowId: string };

export async function seedWorkflowsDemo(db: Queryable): Promise<SeededTenant<WorkflowsSeededRun>[]> {
  for (const plan of WORKFLOWS_DEMO) {
    const { workspace, workflow } = plan;
    await db.query('INSERT INTO workflows_workspaces (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [
      workspace.id,
      workspace.name,
    ]);
    await db.query(
      `INSERT INTO workflows (id, workspace_id, name, definition, created_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO NOTHING`,
      [workflow.id, workspace.id, workflow.name, JSON.stringify(workflow.definition), new Date(BASE - 86_400_000)],
    );
  }
  for (const { user, apiKey, workspaces } of WORKFLOWS_DEMO_USERS) {
    for (const [i, workspaceId] of workspaces.entries()) {
      await db.query(
        `INSERT INTO workflows_members (workspace_id, user_id, is_default) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [workspaceId, user, i === 0],
      );
    }
    await insertKey(db, { api: 'workflows', tenantId: workspaces[0], subject: user }, apiKey, 'demo');
  }
  const tenants: SeededTenant<WorkflowsSeededRun>[] = [];
  for (const [w, plan] of WORKFLOWS_DEMO.entries()) {
    const runs: WorkflowsSeededRun[] = [];
    for (const [i, status] of DEMO_STATUSES.entries()) {
      const id = demoRunId(plan, status);
      await seedRun(db, plan, status, id, BASE + (w * 10 + i) * 3_600_000);
      runs.push({ id, status, workflowId: plan.workflow.id });
    }
    // Each workspace's demo key is the key of a user whose default it is; the header is explicit anyway.
    const owner = WORKFLOWS_DEMO_USERS.find((u) => u.workspaces[0] === plan.workspace.id);
    tenants.push({
      tenant: plan.workspace.id,
      apiKey: owner?.apiKey ?? '',
      headers: { 'X-Workspace-Id': plan.workspace.id },
      runs,
    });
  }
  return tenants;
}

async function seedRun(db: Queryable, plan: WorkflowPlan, status: RunStatus, id: string, createdMs: number) {
  const run = plan.runs[status];
  const started = status === 'queued' ? null : createdMs + 5_000;
  const final = status === 'completed' || status === 'failed' || status === 'cancelled';
  const completed = final && started ? started + plan.nodes.length * NODE_SLOT_S * 1000 : null;
  const inserted = await db.query(
    `INSERT INTO workflows_runs (id, workflow_id, workspace_id, status, definition, created_at, started_at, completed_at,
                                 has_export, error)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO NOTHING RETURNING id`,
    [
      id,
      plan.workflow.id,
      plan.workspace.id,
      status,
      JSON.stringify(plan.workflow.definition),
      new Date(createdMs),
      started === null ? null : new Date(started),
      completed === null ? null : new Date(completed),
      run.hasExport ?? false,
      run.error ?? null,
    ],
  );
  if (inserted.length === 0) return;
  await seedValidators(db, plan, run, id);
  if (started === null) return;
  for (const [n, letter] of [...run.nodes].entries()) {
    const [nodeId, nodeType] = plan.nodes[n] ?? ['', ''];
    const nodeStatus = NODE_STATUS[letter] ?? 'pending';
    const validator = plan.validators.findIndex(([v]) => v === nodeId);
    const retries = validator >= 0 ? [...(run.outcomes[validator] ?? '')].filter((c) => c === 'R').length : 0;
    const nodeStart = ['C', 'R', 'X'].includes(letter) ? started + n * NODE_SLOT_S * 1000 : null;
    const nodeEnd = nodeStart !== null && letter !== 'R' ? nodeStart + (60 + 30 * n) * 1000 : null;
    await db.query(
      `INSERT INTO workflows_node_executions (run_id, node_id, node_type, status, iteration, started_at, completed_at, error)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        id,
        nodeId,
        nodeType,
        nodeStatus,
        retries,
        nodeStart === null ? null : new Date(nodeStart),
        nodeEnd === null ? null : new Date(nodeEnd),
        letter === 'X' ? (run.nodeError ?? 'Node failed') : null,
      ],
    );
  }
  for (const [l, durations] of run.audio.entries()) {
    for (const ms of durations) {
      await db.query('INSERT INTO workflows_audio_lines (run_id, locale_code, duration_ms) VALUES ($1, $2, $3)', [
        id,
        plan.locales[l] ?? 'und',
        ms,
      ]);
    }
  }
  let m = 0;
  for (const [s, section] of plan.sections.entries()) {
    if (run.metrics.length === 0) break;
    await db.query(
      'INSERT INTO workflows_metric_sections (run_id, key, title, layout, position) VALUES ($1, $2, $3, $4, $5)',
      [id, section.key, section.title, section.layout, s],
    );
    for (const [p, [key, label, unit, variant, emphasis, reason]] of section.metrics.entries()) {
      const value = run.metrics[m++] ?? null;
      await db.query(
        `INSERT INTO workflows_metric_values (run_id, section_key, key, label, position, value, unit, variant, emphasis, reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [id, section.key, key, label, p, value, unit, variant, emphasis, value === null ? reason : null],
      );
    }
  }
}

async function seedValidators(db: Queryable, plan: WorkflowPlan, run: RunPlan, id: string) {
  for (const [v, [nodeId, kind, label]] of plan.validators.entries()) {
    await db.query(
      'INSERT INTO workflows_run_validators (run_id, node_id, kind, label, position) VALUES ($1, $2, $3, $4, $5)',
      [id, nodeId, kind, label, v],
    );
    for (const letter of run.outcomes[v] ?? '') {
      const [outcome, score] = OUTCOME[letter] ?? ['retry', null];
      await db.query(
        'INSERT INTO workflows_validator_outcomes (run_id, node_id, outcome, score) VALUES ($1, $2, $3, $4)',
        [id, nodeId, outcome, score],
      );
    }
  }
}
