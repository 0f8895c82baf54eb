import type { operations } from '../../../generated/taxonomy.ts';
import { problem } from '../../core/problems.ts';
import type { Handler } from '../../core/types.ts';
import { markFinal } from '../../http/final-runs.ts';
import { decodeCursor } from '../../store/pagination.ts';
import { getRun, listRuns, type TaxonomyRunStatus } from '../../store/taxonomy.ts';
import { runBody } from './bodies.ts';

type GetParams = operations['taxonomyGetRun']['parameters']['path'];
type GetQuery = operations['taxonomyGetRun']['parameters']['query'];
type ListQuery = operations['taxonomyListRuns']['parameters']['query'];
type ListBody = operations['taxonomyListRuns']['responses'][200]['content']['application/json'];

// No id in the message: a foreign run, a foreign tenant_id and a missing id must read the same.
const NOT_FOUND = 'taxonomy run not found';
// The store's trigger refuses any transition out of these.
export const FINAL: TaxonomyRunStatus[] = ['succeeded', 'failed', 'canceled'];

export const taxonomyGetRun: Handler = async ({ params, req, res, db, principal }) => {
  const { run_id } = params as GetParams;
  const { tenant_id } = req.query as GetQuery;
  const run = await getRun(db, principal.tenantId, tenant_id, run_id);
  if (!run) throw problem('not_found', NOT_FOUND);
  if (FINAL.includes(run.status)) markFinal(res);
  res.json(runBody(run));
};

export const taxonomyListRuns: Handler = async ({ req, res, db, principal }) => {
  const query = req.query as unknown as ListQuery;
  const page = await listRuns(db, principal.tenantId, {
    tenantId: query.tenant_id,
    limit: query.limit ?? 20,
    status: query.status,
    fieldId: query.field_id,
    after: decodeCursor(query.cursor),
  });
  const body: ListBody = { data: page.items.map(runBody), next_cursor: page.nextCursor };
  res.json(body);
};
