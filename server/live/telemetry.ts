import { randomUUID } from 'node:crypto';
import { runPath } from '../apis/telemetry/demo.ts';
import { type Cell, insertCells, insertRun, type Strategy, type Tier } from '../store/telemetry.ts';
import { fateOf, unit } from './fate.ts';
import { type FinishedRun, type LiveApi, RUNS_PER_TICK } from './types.ts';

const CELLS = 240;
const PER_TICK = 60;
const STRATEGIES: Strategy[] = ['transfer', 'transfer', 'transfer', 'extract', 'extract', 'compute', 'skip'];
const TIERS: Tier[] = ['tier1', 'tier1', 'tier1', 'tier2', 'tier2', 'tier3', 'unresolved'];

function cells(runId: string, from: number): Cell[] {
  return Array.from({ length: PER_TICK }, (_, i) => {
    const strategy = STRATEGIES[Math.floor(unit(runId, `s${from + i}`) * STRATEGIES.length)] as Strategy;
    const tier = TIERS[Math.floor(unit(runId, `t${from + i}`) * TIERS.length)] as Tier;
    // Registry tiers capture, unresolved cells are synthesized, skipped cells are not filled.
    const filledBy = strategy === 'skip' ? 'none' : tier === 'unresolved' ? 'synthesis' : 'capture';
    return { strategy, tier, filledBy };
  });
}

/** pending -> running (cells appear) -> completed | failed. Summaries answer once it is finished. */
export const telemetryLive: LiveApi = {
  name: 'telemetry',
  async createRun(db, organization) {
    const [known] = await db.query<{ schema_id: string }>(
      'SELECT schema_id FROM telemetry_runs WHERE organization_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1',
      [organization],
    );
    const id = randomUUID();
    await insertRun(db, {
      id,
      organizationId: organization,
      schemaId: known?.schema_id ?? 'sch-live',
      status: 'pending',
      createdAt: new Date(),
      completedAt: null,
    });
    return { id, status: 'pending', path: runPath(id) };
  },
  async advance(db, organizations) {
    const runs = await db.query<{ id: string; status: string; organization_id: string }>(
      `SELECT id, status, organization_id FROM telemetry_runs WHERE organization_id = ANY($1::text[]) AND status IN ('pending', 'running')
        ORDER BY created_at, id LIMIT ${RUNS_PER_TICK}`,
      [organizations],
    );
    const finished: FinishedRun[] = [];
    for (const run of runs) {
      const ended = await db.transaction(async (tx) => {
        if (run.status === 'pending') {
          await tx.query(`UPDATE telemetry_runs SET status = 'running' WHERE id = $1 AND status = 'pending'`, [run.id]);
          return false;
        }
        const locked = await tx.query(`SELECT id FROM telemetry_runs WHERE id = $1 AND status = 'running' FOR UPDATE`, [
          run.id,
        ]);
        if (locked.length === 0) return false;
        const [{ n = 0 } = {}] = await tx.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM telemetry_cells WHERE run_id = $1',
          [run.id],
        );
        if (n < CELLS) return void (await insertCells(tx, run.id, cells(run.id, n)));
        const to = fateOf(run.id) === 'succeed' ? 'completed' : 'failed';
        const moved = await tx.query(
          `UPDATE telemetry_runs SET status = $2, completed_at = now()::timestamptz(3) WHERE id = $1 AND status = 'running' RETURNING id`,
          [run.id, to],
        );
        return moved.length > 0;
      });
      if (ended) finished.push({ tenant: run.organization_id, path: runPath(run.id) });
    }
    return { moved: runs.length, finished };
  },
};
