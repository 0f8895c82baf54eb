import { randomUUID } from 'node:crypto';
import { runPath } from '../apis/workflows/demo.ts';
import type { Queryable } from '../store/db.ts';
import { WORKFLOWS_DEMO } from '../store/demo/workflows.ts';
import { fateOf, unit } from './fate.ts';
import { type FinishedRun, type LiveApi, RUNS_PER_TICK } from './types.ts';

type Node = [id: string, type: string];

/** The nodes of a workflow: the demo plan's, else one node per step of its definition. */
function nodesOf(workflowId: string, steps: string[]): Node[] {
  const plan = WORKFLOWS_DEMO.find((p) => p.workflow.id === workflowId);
  return plan ? plan.nodes.map(([id, type]) => [id, type]) : steps.map((s) => [`node-${s}`, s]);
}

/**
 * queued -> running (one node per tick: it completes, its audio lines and validator outcomes are
 * recorded, the next starts) -> completed (with an export) | failed (at the last node) | cancelled.
 */
export const workflowsLive: LiveApi = {
  name: 'workflows',
  async createRun(db, workspace) {
    const [workflow] = await db.query<{ id: string; definition: { steps: string[] } }>(
      'SELECT id, definition FROM workflows WHERE workspace_id = $1 ORDER BY created_at, id LIMIT 1',
      [workspace],
    );
    if (!workflow) throw new Error(`workflows workspace ${workspace} has no workflow to run`);
    const id = randomUUID();
    await db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO workflows_runs (id, workflow_id, workspace_id, status, definition, created_at)
         VALUES ($1, $2, $3, 'queued', $4::jsonb, now()::timestamptz(3))`,
        [id, workflow.id, workspace, JSON.stringify(workflow.definition)],
      );
      const plan = WORKFLOWS_DEMO.find((p) => p.workflow.id === workflow.id);
      for (const [position, [nodeId, kind, label]] of (plan?.validators ?? []).entries()) {
        await tx.query(
          'INSERT INTO workflows_run_validators (run_id, node_id, kind, label, position) VALUES ($1, $2, $3, $4, $5)',
          [id, nodeId, kind, label, position],
        );
      }
    });
    return { id, status: 'queued', path: runPath(id, workflow.id) };
  },
  async advance(db, workspaces) {
    const runs = await db.query<{ id: string; workspace_id: string; workflow_id: string }>(
      `SELECT id, workspace_id, workflow_id FROM workflows_runs WHERE workspace_id = ANY($1::text[]) AND status IN ('queued', 'running')
        ORDER BY created_at, id LIMIT ${RUNS_PER_TICK}`,
      [workspaces],
    );
    const finished: FinishedRun[] = [];
    for (const run of runs)
      if (await db.transaction((tx) => step(tx, run.id)))
        finished.push({ tenant: run.workspace_id, path: runPath(run.id, run.workflow_id) });
    return { moved: runs.length, finished };
  },
};

/** One step of run `id`; true when it ended the run (completed, failed or cancelled). */
async function step(tx: Queryable, id: string): Promise<boolean> {
  const [run] = await tx.query<{ status: string; workflow_id: string; definition: { steps: string[] } }>(
    `SELECT status, workflow_id, definition FROM workflows_runs WHERE id = $1 AND status IN ('queued', 'running') FOR UPDATE`,
    [id],
  );
  if (!run) return false;
  const nodes = nodesOf(run.workflow_id, run.definition.steps ?? []);
  if (run.status === 'queued') {
    await tx.query(
      `UPDATE workflows_runs SET status = 'running', started_at = now()::timestamptz(3) WHERE id = $1 AND status = 'queued'`,
      [id],
    );
    for (const [n, [nodeId, nodeType]] of nodes.entries()) {
      await tx.query(
        `INSERT INTO workflows_node_executions (run_id, node_id, node_type, status, started_at)
         VALUES ($1, $2, $3, $4, CASE WHEN $4 = 'running' THEN now()::timestamptz(3) END)`,
        [id, nodeId, nodeType, n === 0 ? 'running' : 'pending'],
      );
    }
    return false;
  }
  const [current] = await tx.query<{ node_id: string }>(
    `SELECT node_id FROM workflows_node_executions WHERE run_id = $1 AND status = 'running' ORDER BY id LIMIT 1`,
    [id],
  );
  const index = nodes.findIndex(([nodeId]) => nodeId === current?.node_id);
  const fate = fateOf(id);
  const last = index === nodes.length - 1;
  if (current && fate === 'cancel' && index >= 1) return end(tx, id, 'cancelled', current.node_id, 'Run cancelled');
  if (current && fate === 'fail' && last)
    return end(tx, id, 'failed', current.node_id, 'Node timed out after 3 retries');
  if (current) {
    await tx.query(
      `UPDATE workflows_node_executions SET status = 'completed', completed_at = now()::timestamptz(3)
        WHERE run_id = $1 AND node_id = $2 AND status = 'running'`,
      [id, current.node_id],
    );
    await record(tx, id, current.node_id);
  }
  const next = nodes[index + 1];
  if (next) {
    await tx.query(
      `UPDATE workflows_node_executions SET status = 'running', started_at = now()::timestamptz(3)
        WHERE run_id = $1 AND node_id = $2 AND status = 'pending'`,
      [id, next[0]],
    );
    return false;
  }
  const moved = await tx.query(
    `UPDATE workflows_runs SET status = 'completed', completed_at = now()::timestamptz(3), has_export = true
      WHERE id = $1 AND status = 'running' RETURNING id`,
    [id],
  );
  return moved.length > 0;
}

/** What a finished node leaves behind: audio lines, and outcomes when it is a validator. */
async function record(tx: Queryable, id: string, nodeId: string): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await tx.query(`INSERT INTO workflows_audio_lines (run_id, locale_code, duration_ms) VALUES ($1, $2, $3)`, [
      id,
      i === 2 ? 'fr-FR' : 'en-US',
      Math.round(5000 + unit(id, `${nodeId}:a${i}`) * 4000),
    ]);
  }
  const validators = await tx.query('SELECT 1 FROM workflows_run_validators WHERE run_id = $1 AND node_id = $2', [
    id,
    nodeId,
  ]);
  if (validators.length === 0) return;
  for (let i = 0; i < 8; i++) {
    const u = unit(id, `${nodeId}:o${i}`);
    const [outcome, score] = u < 0.8 ? ['pass', 0.85 + u / 10] : u < 0.95 ? ['fail', 0.4] : ['retry', null];
    await tx.query(
      'INSERT INTO workflows_validator_outcomes (run_id, node_id, outcome, score) VALUES ($1, $2, $3, $4)',
      [id, nodeId, outcome, score],
    );
  }
}

async function end(
  tx: Queryable,
  id: string,
  to: 'failed' | 'cancelled',
  nodeId: string,
  why: string,
): Promise<boolean> {
  await tx.query(
    `UPDATE workflows_node_executions SET status = 'failed', completed_at = now()::timestamptz(3), error = $3
      WHERE run_id = $1 AND node_id = $2 AND status = 'running'`,
    [id, nodeId, why],
  );
  await tx.query(`UPDATE workflows_node_executions SET status = 'skipped' WHERE run_id = $1 AND status = 'pending'`, [
    id,
  ]);
  const moved = await tx.query(
    `UPDATE workflows_runs SET status = $2, completed_at = now()::timestamptz(3), error = $3 WHERE id = $1 AND status = 'running' RETURNING id`,
    [id, to, to === 'failed' ? `Node ${nodeId} failed: ${why}` : null],
  );
  return moved.length > 0;
}
