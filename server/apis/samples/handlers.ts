import type { operations } from '../../../generated/samples.ts';
import { problem } from '../../core/problems.ts';
import type { Handler } from '../../core/types.ts';
import { markFinal } from '../../http/final-runs.ts';
import { decodeCursor } from '../../store/pagination.ts';
import { listRuns, runSummary } from '../../store/samples.ts';

type SummaryParams = operations['samplesGetRunSummary']['parameters']['path'];
type ListQuery = NonNullable<operations['samplesListRuns']['parameters']['query']>;
type ListBody = operations['samplesListRuns']['responses'][200]['content']['application/json'];

export const samplesGetRunSummary: Handler = async ({ params, res, db, principal }) => {
  const { run_id } = params as SummaryParams;
  const found = await runSummary(db, principal.tenantId, run_id);
  if (!found) throw problem('not_found', `Run ${run_id} not found.`, { resource: 'run', id: run_id });
  if (found.final) markFinal(res);
  res.json(found.summary);
};

export const samplesListRuns: Handler = async ({ req, res, db, principal }) => {
  const query = req.query as ListQuery;
  const page = await listRuns(db, principal.tenantId, {
    limit: query.limit ?? 20,
    status: query.status,
    after: decodeCursor(query.cursor, 'bigint'),
  });
  const body: ListBody = { data: page.items, next_cursor: page.nextCursor };
  res.json(body);
};
