import { randomUUID } from 'node:crypto';
import { runPath } from '../apis/taxonomy/demo.ts';
import { TaxonomyTransitionError, type TransitionFields, transitionRun } from '../store/taxonomy.ts';
import { fateOf, pick } from './fate.ts';
import { type FinishedRun, type LiveApi, RUNS_PER_TICK } from './types.ts';

const RECORDS = 2000;
const PER_TICK = 500;
const FAILURES = [
  ['generation_failed', 'The taxonomy model returned no usable clusters.'],
  ['service_unavailable', 'The embedding service did not answer in time.'],
  ['invalid_output', 'The generated taxonomy had a cycle and was discarded.'],
] as const;

/**
 * pending -> running (records and embeddings counted) -> succeeded | failed (error_code) |
 * canceled. Every status change goes through transitionRun, so the database's trigger decides.
 */
export const taxonomyLive: LiveApi = {
  name: 'taxonomy',
  async createRun(db, tenant) {
    const id = randomUUID();
    await db.query(
      `INSERT INTO taxonomy_runs (id, tenant_id, field_id, field_label, source_id, source_type, status, params)
       VALUES ($1, $2, 'fld_support_topic', 'Support topic', 'src_zendesk', 'zendesk', 'pending', $3::jsonb)`,
      [id, tenant, JSON.stringify({ max_depth: 3, min_cluster_size: 5 })],
    );
    return { id, status: 'pending', path: runPath(id, tenant) };
  },
  async advance(db, tenants) {
    const runs = await db.query<{ id: string; tenant_id: string; status: string; record_count: string }>(
      `SELECT id, tenant_id, status, record_count FROM taxonomy_runs
        WHERE tenant_id = ANY($1::text[]) AND status IN ('pending', 'running')
        ORDER BY created_at, id LIMIT ${RUNS_PER_TICK}`,
      [tenants],
    );
    const finished: FinishedRun[] = [];
    for (const run of runs) {
      const records = Number(run.record_count);
      const fate = fateOf(run.id);
      const end = async (to: 'canceled' | 'failed' | 'succeeded', fields?: TransitionFields) => {
        if (await transitionRun(db, run.tenant_id, run.id, to, fields))
          finished.push({ tenant: run.tenant_id, path: runPath(run.id, run.tenant_id) });
      };
      try {
        if (run.status === 'pending') await transitionRun(db, run.tenant_id, run.id, 'running');
        else if (fate === 'cancel' && records >= RECORDS / 2) await end('canceled');
        else if (fate === 'fail' && records >= RECORDS) {
          const [error_code, error] = pick(FAILURES, run.id, 'failure');
          await end('failed', { error_code, error });
        } else if (records >= RECORDS) {
          await end('succeeded', {
            cluster_count: 24,
            node_count: 31,
            metrics: { silhouette_score: 0.44, unassigned_records: 12 },
          });
        } else {
          // Progress within `running` is not a transition: counters only, guarded by the status.
          await db.query(
            `UPDATE taxonomy_runs SET record_count = record_count + $2, embedding_count = embedding_count + $3,
                    updated_at = now()::timestamptz(3)
              WHERE id = $1 AND status = 'running'`,
            [run.id, PER_TICK, PER_TICK - 4],
          );
        }
      } catch (err) {
        // Another writer moved the run first; the trigger refused this step and nothing changed.
        if (!(err instanceof TaxonomyTransitionError)) throw err;
      }
    }
    return { moved: runs.length, finished };
  },
};
