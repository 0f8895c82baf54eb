import type { operations } from '../../../generated/matching.ts';
import { problem } from '../../core/problems.ts';
import type { Handler } from '../../core/types.ts';
import { markFinal } from '../../http/final-runs.ts';
import { listRuns, runDetail } from '../../store/matching.ts';
import { decodeCursor } from '../../store/pagination.ts';
import { runDetailBody, runListItem } from './bodies.ts';

type RunParams = operations['matchingGetRun']['parameters']['path'];
type RunStatus = operations['matchingGetRun']['responses'][200]['content']['application/json']['status'];
type ListQuery = NonNullable<operations['matchingListRuns']['parameters']['query']>;
type ListBody = operations['matchingListRuns']['responses'][200]['content']['application/json'];

export const FINAL: RunStatus[] = ['completed', 'failed', 'cancelled'];

export const RUN_NOT_FOUND = 'No matching run with this ID exists for your workspace.';

export const matchingGetRun: Handler = async ({ params, res, db, principal }) => {
  const { id } = params as RunParams;
  const run = await runDetail(db, principal.tenantId, id);
  // The same words for a missing run and another workspace's: the answer must not tell them apart.
  if (!run) throw problem('not_found', RUN_NOT_FOUND);
  if (FINAL.includes(run.status)) markFinal(res);
  res.json(runDetailBody(run));
};

export const matchingListRuns: Handler = async ({ req, res, db, principal }) => {
  const query = req.query as ListQuery;
  const configId = query.matching_config_id;
  const page = await listRuns(db, principal.tenantId, {
    limit: query.limit ?? 20,
    status: query.status,
    configId: configId,
    after: decodeCursor(query.cursor),
  });
  const body: ListBody = { data: page.items.map(runListItem), next_cursor: page.nextCursor };
  res.json(body);
};
