import type { operations } from '../../../generated/telemetry.ts';
import { problem } from '../../http/problems.ts';
import { type CursorPosition, decodeCursor } from '../../store/pagination.ts';
import { listRuns, runSummary, schemaSummary } from '../../store/telemetry.ts';
import type { Handler } from '../types.ts';

type RunParams = operations['telemetryGetRunSummary']['parameters']['path'];
type SchemaParams = operations['telemetryGetSchemaSummary']['parameters']['path'];
type ListQuery = NonNullable<operations['telemetryListRuns']['parameters']['query']>;
type ListBody = operations['telemetryListRuns']['responses'][200]['content']['application/json'];

// No id in the wording: a foreign, unfinished or missing run must answer the very same bytes.
export const RUN_NOT_FOUND = 'No job run with this ID exists for your organization.';
export const SCHEMA_NOT_FOUND = 'No completed job run of this schema exists for your organization.';

/**
 * The validator's `uuid` format (ajv-formats) also accepts the URN form `urn:uuid:<uuid>`, which
 * PostgreSQL's uuid type refuses: read it as the UUID it names rather than fail in the cast.
 */
const bareUuid = (id: string): string => id.replace(/^urn:uuid:/i, '');

export const telemetryGetRunSummary: Handler = async ({ params, res, db, principal }) => {
  const { id } = params as RunParams;
  const summary = await runSummary(db, principal.tenantId, bareUuid(id));
  if (!summary) throw problem('not_found', RUN_NOT_FOUND);
  res.json(summary);
};

export const telemetryGetSchemaSummary: Handler = async ({ params, res, db, principal }) => {
  const { schema_id } = params as SchemaParams;
  const summary = await schemaSummary(db, principal.tenantId, schema_id);
  if (!summary) throw problem('not_found', SCHEMA_NOT_FOUND);
  res.json(summary);
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The store's own rendering of an instant; Date.parse alone lets through e.g. February 31st. */
const isCanonicalInstant = (value: string): boolean => {
  const time = Date.parse(value);
  return !Number.isNaN(time) && new Date(time).toISOString() === value;
};

/**
 * A cursor we issued holds a run UUID and an instant as the store renders it; anything else that
 * merely decodes would reach the SQL casts and fail there as a 500, so it is refused here as a 400.
 */
function runCursor(cursor: string | undefined): CursorPosition | undefined {
  const position = decodeCursor(cursor);
  if (position && !(UUID.test(position.id) && isCanonicalInstant(position.createdAt))) {
    throw problem('bad_request', 'The cursor is malformed or was not issued by this API.');
  }
  return position;
}

export const telemetryListRuns: Handler = async ({ req, res, db, principal }) => {
  const query = req.query as ListQuery;
  const page = await listRuns(db, principal.tenantId, {
    limit: query.limit ?? 20,
    status: query.status,
    schemaId: query.schema_id,
    after: runCursor(query.cursor),
  });
  const body: ListBody = { data: page.items, next_cursor: page.nextCursor };
  res.json(body);
};
