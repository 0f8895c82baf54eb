import type { Request } from 'express';
import type { operations } from '../../../generated/workflows.ts';
import { problem } from '../../core/problems.ts';
import type { FinalRunRule, Handler } from '../../core/types.ts';
import { markFinal } from '../../http/final-runs.ts';
import { decodeCursor } from '../../store/pagination.ts';
import { listRuns, runOverview, workflowExists } from '../../store/workflows.ts';
import { FINAL, overviewBody } from './overview.ts';

type Overview = operations['workflowsGetRunOverview'];
type List = operations['workflowsListRuns'];
type OverviewBody = Overview['responses'][200]['content']['application/json'];
type ListBody = List['responses'][200]['content']['application/json'];

export const NOT_FOUND = { workflow: 'Workflow not found', run: 'Run not found' } as const;

const meta = (req: Request) => ({ request_id: String(req.id), timestamp: new Date().toISOString() });

/** A final run's overview is cached as `data`; `meta` (request id, time) is this request's. */
export const overviewEnvelope: FinalRunRule = {
  envelope: {
    part: (body) => (body as OverviewBody).data,
    wrap: (data, req) => `{"data":${data},"meta":${JSON.stringify(meta(req))}}`,
  },
};

export const workflowsGetRunOverview: Handler = async ({ req, res, db, params, principal }) => {
  const { workflow_id, run_id } = params as Overview['parameters']['path'];
  const found = await runOverview(db, principal.tenantId, workflow_id, run_id);
  if ('missing' in found) throw problem('not_found', NOT_FOUND[found.missing]);
  const data = overviewBody(workflow_id, run_id, found.rows);
  const body: OverviewBody = { data, meta: meta(req) };
  if (FINAL.includes(data.run.status)) markFinal(res);
  res.json(body);
};

export const workflowsListRuns: Handler = async ({ req, res, db, params, principal }) => {
  const { workflow_id } = params as List['parameters']['path'];
  const query = req.query as NonNullable<List['parameters']['query']>;
  const after = decodeCursor(query.cursor);
  if (!(await workflowExists(db, principal.tenantId, workflow_id))) throw problem('not_found', NOT_FOUND.workflow);
  const page = await listRuns(db, principal.tenantId, workflow_id, {
    limit: query.limit ?? 20,
    status: query.status,
    after,
  });
  const body: ListBody = { data: page.items, meta: { ...meta(req), next_cursor: page.nextCursor } };
  res.json(body);
};
