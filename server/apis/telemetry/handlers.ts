import type { operations } from '../../../generated/telemetry.ts';
import { problem } from '../../core/problems.ts';
import type { Handler } from '../../core/types.ts';
import { markFinal } from '../../http/final-runs.ts';
import { decodeCursor } from '../../store/pagination.ts';
import { listRuns, runSummary, schemaSummary } from '../../store/telemetry.ts';

type RunParams = operations['telemetryGetRunSummary']['parameters']['path'];
type SchemaParams = operations['telemetryGetSchemaSummary']['parameters']['path'];
type ListQuery = NonNullable<operations['telemetryListRuns']['parameters']['query']>;
type ListBody = operations['telemetryListRuns']['responses'][200]['content']['application/json'];

// No id in the wording: a foreign, unfinished or missing run must answer the very same bytes.
export const RUN_NOT_FOUND = 'No job run with this ID exists for your organization.';
export const SCHEMA_NOT_FOUND = 'No completed job run of this schema exists for your organization.';

export const telemetryGetRunSummary: Handler = async ({ params, res, db, principal }) => {
  const { id } = params as RunParams;
  const summary = await runSummary(db, principal.tenantId, id);
  if (!summary) throw problem('not_found', RUN_NOT_FOUND);
  // Only completed and failed runs have a summary: it never changes once it exists.
  markFinal(res);
  res.json(summary);
};

export const telemetryGetSchemaSummary: Handler = async ({ params, res, db, principal }) => {
  const { schema_id } = params as SchemaParams;
  const summary = await schemaSummary(db, principal.tenantId, schema_id);
  if (!summary) throw problem('not_found', SCHEMA_NOT_FOUND);
  res.json(summary);
};

export const telemetryListRuns: Handler = async ({ req, res, db, principal }) => {
  const query = req.query as ListQuery;
  const page = await listRuns(db, principal.tenantId, {
    limit: query.limit ?? 20,
    status: query.status,
    schemaId: query.schema_id,
    after: decodeCursor(query.cursor),
  });
  const body: ListBody = { data: page.items, next_cursor: page.nextCursor };
  res.json(body);
};
