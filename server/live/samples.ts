import { runPath } from '../apis/samples/demo.ts';
import { fateOf, unit } from './fate.ts';
import { type FinishedRun, type LiveApi, RUNS_PER_TICK } from './types.ts';

const RESULTS = 24;
const PER_TICK = 6;

/**
 * queued -> running (test results recorded) -> completed | canceled. fail_count comes from the
 * rows, as ever: a failed regression is a result row, never the run's status.
 */
export const samplesLive: LiveApi = {
  name: 'samples',
  async createRun(db, project) {
    // Ids are the platform's integers; continue after the largest so demo ids stay untouched.
    const [row] = await db.query<{ id: string }>(
      `INSERT INTO samples_runs (id, project_id, status, triggered_by, created_at)
       SELECT COALESCE(max(id), 0) + 1, $1, 'queued', 'schedule/live', now()::timestamptz(3) FROM samples_runs RETURNING id`,
      [project],
    );
    const id = Number(row?.id);
    return { id, status: 'queued', path: runPath(id) };
  },
  async advance(db, projects) {
    const runs = await db.query<{ id: string; project_id: string }>(
      `SELECT id, project_id FROM samples_runs WHERE project_id = ANY($1::text[]) AND status IN ('queued', 'running')
        ORDER BY created_at, id LIMIT ${RUNS_PER_TICK}`,
      [projects],
    );
    const finished: FinishedRun[] = [];
    for (const { id, project_id } of runs) {
      const ended = await db.transaction(async (tx) => {
        const [run] = await tx.query<{ status: string }>(
          `SELECT status FROM samples_runs WHERE id = $1 AND status IN ('queued', 'running') FOR UPDATE`,
          [id],
        );
        if (!run) return false;
        if (run.status === 'queued') {
          await tx.query(
            `UPDATE samples_runs SET status = 'running', started_at = now()::timestamptz(3) WHERE id = $1 AND status = 'queued'`,
            [id],
          );
          return;
        }
        const [{ n = 0 } = {}] = await tx.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM samples_test_results WHERE run_id = $1',
          [id],
        );
        const fate = fateOf(id);
        if (n >= RESULTS || (fate === 'cancel' && n >= RESULTS / 2)) {
          const to = fate === 'cancel' ? 'canceled' : 'completed';
          const moved = await tx.query(
            `UPDATE samples_runs SET status = $2, completed_at = now()::timestamptz(3) WHERE id = $1 AND status = 'running' RETURNING id`,
            [id, to],
          );
          return moved.length > 0;
        }
        for (let j = n; j < n + PER_TICK; j++) {
          const u = unit(id, `r${j}`);
          // Mostly passes; runs fated to fail regress more often. Some are skipped.
          const failing = u < (fate === 'fail' ? 0.3 : 0.05);
          await tx.query(
            `INSERT INTO samples_test_results (run_id, regression_test_id, exit_code, expected_rc, runtime_ms, skipped)
             VALUES ($1, $2, $3, 0, $4, $5)`,
            [id, j + 1, failing ? 1 : 0, Math.round(200 + u * 4000), u > 0.96],
          );
        }
        return false;
      });
      if (ended) finished.push({ tenant: project_id, path: runPath(id) });
    }
    return { moved: runs.length, finished };
  },
};
