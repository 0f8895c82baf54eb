import { randomUUID } from 'node:crypto';
import { runPath } from '../apis/matching/demo.ts';
import type { SqlParam } from '../store/db.ts';
import { fateOf, unit } from './fate.ts';
import { type FinishedRun, type LiveApi, RUNS_PER_TICK } from './types.ts';

const ROWS = 40;
const PER_TICK = 10;
const FAILURE = 'Reference table could not be read: connection to the data source was reset.';

function results(runId: string, from: number): SqlParam[][] {
  return Array.from({ length: PER_TICK }, (_, i) => {
    const j = from + i;
    const confidence = Number((0.45 + unit(runId, `c${j}`) * 0.55).toFixed(3));
    return [
      randomUUID(),
      runId,
      randomUUID(),
      `invoice-live-${String(j + 1).padStart(4, '0')}.pdf`,
      confidence >= 0.65 ? `ref_row_${Math.floor(unit(runId, `r${j}`) * 1000)}` : null,
      confidence,
      JSON.stringify({ amount: { strategy: 'numeric_range', score: confidence } }),
    ];
  });
}

/**
 * queued -> running (rows and results appear) -> completed (through ai_resolving) | failed |
 * cancelled. rows_matched and avg_confidence are the store's own aggregates over the results.
 */
export const matchingLive: LiveApi = {
  name: 'matching',
  async createRun(db, workspace) {
    const [config] = await db.query<{ id: string }>(
      'SELECT id FROM matching_configs WHERE workspace_id = $1 ORDER BY created_at, id LIMIT 1',
      [workspace],
    );
    if (!config) throw new Error(`matching workspace ${workspace} has no config to run`);
    const id = randomUUID();
    await db.query(
      `INSERT INTO matching_runs (id, workspace_id, matching_config_id, status, triggered_by, created_at)
       VALUES ($1, $2, $3, 'queued', 'schedule', now()::timestamptz(3))`,
      [id, workspace, config.id],
    );
    return { id, status: 'queued', path: runPath(id) };
  },
  async advance(db, workspaces) {
    const runs = await db.query<{ id: string; workspace_id: string }>(
      `SELECT id, workspace_id FROM matching_runs WHERE workspace_id = ANY($1::text[]) AND status IN ('queued', 'running', 'ai_resolving')
        ORDER BY created_at, id LIMIT ${RUNS_PER_TICK}`,
      [workspaces],
    );
    const finished: FinishedRun[] = [];
    for (const { id, workspace_id } of runs) {
      const ended = await db.transaction(async (tx) => {
        const [run] = await tx.query<{ status: string; rows_processed: number | null }>(
          `SELECT status, rows_processed FROM matching_runs
            WHERE id = $1 AND status IN ('queued', 'running', 'ai_resolving') FOR UPDATE`,
          [id],
        );
        if (!run) return false;
        // True when this UPDATE moved the run (and so, for a terminal status, finished it).
        const move = async (to: string, extra = '', params: SqlParam[] = []) =>
          (
            await tx.query(`UPDATE matching_runs SET status = $2${extra} WHERE id = $1 AND status = $3 RETURNING id`, [
              id,
              to,
              run.status,
              ...params,
            ])
          ).length > 0;
        if (run.status === 'queued')
          return void (await move('running', ', rows_processed = 0, started_at = now()::timestamptz(3)'));
        if (run.status === 'ai_resolving') return move('completed', ', completed_at = now()::timestamptz(3)');
        const processed = run.rows_processed ?? 0;
        const fate = fateOf(id);
        if (fate === 'fail' && processed >= ROWS / 2)
          return move('failed', ', completed_at = now()::timestamptz(3), error = $4', [FAILURE]);
        if (fate === 'cancel' && processed >= ROWS / 4)
          return move('cancelled', ', completed_at = now()::timestamptz(3)');
        if (processed >= ROWS) return void (await move('ai_resolving'));
        const rows = results(id, processed);
        const values = rows.map((_, r) => `(${[1, 2, 3, 4, 5, 6, 7].map((c) => `$${r * 7 + c}`).join(', ')}::jsonb)`);
        await tx.query(
          `INSERT INTO matching_results (id, run_id, document_id, document_filename, matched_reference_row_id, confidence, evidence)
           VALUES ${values.join(', ')}`,
          rows.flat(),
        );
        await tx.query(
          `UPDATE matching_runs SET rows_processed = rows_processed + $2 WHERE id = $1 AND status = 'running'`,
          [id, rows.length],
        );
      });
      if (ended === true) finished.push({ tenant: workspace_id, path: runPath(id) });
    }
    return { moved: runs.length, finished };
  },
};
