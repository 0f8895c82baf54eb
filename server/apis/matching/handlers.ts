import type { operations } from '../../../generated/matching.ts';
import { problem } from '../../http/problems.ts';
import { listRuns, runDetail } from '../../store/matching.ts';
import { type CursorPosition, decodeCursor } from '../../store/pagination.ts';
import type { Handler } from '../types.ts';

type RunParams = operations['matchingGetRun']['parameters']['path'];
type ListQuery = NonNullable<operations['matchingListRuns']['parameters']['query']>;
type ListBody = operations['matchingListRuns']['responses'][200]['content']['application/json'];

export const RUN_NOT_FOUND = 'No matching run with this ID exists for your workspace.';

/** The canonical form only: format "uuid" also admits `urn:uuid:...`, which the uuid column refuses. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function uuidParam(value: string, parameter: string, location: 'path' | 'query'): string {
  if (UUID.test(value)) return value;
  throw problem('bad_request', `Invalid ${location} parameter '${parameter}': must be a UUID.`, {
    parameter,
    location,
  });
}

/** Only a position this API issued reaches SQL, so a forged cursor is a 400 and never a cast error. */
function cursorParam(cursor: string | undefined): CursorPosition | undefined {
  const position = decodeCursor(cursor);
  if (!position || (UUID.test(position.id) && ISO_MS.test(position.createdAt))) return position;
  throw problem('bad_request', 'The cursor is malformed or was not issued by this API.', {
    parameter: 'cursor',
    location: 'query',
  });
}

export const matchingGetRun: Handler = async ({ params, res, db, principal }) => {
  const id = uuidParam((params as RunParams).id, 'id', 'path');
  const run = await runDetail(db, principal.tenantId, id);
  // The same words for a missing run and another workspace's: the answer must not tell them apart.
  if (!run) throw problem('not_found', RUN_NOT_FOUND);
  res.json(run);
};

export const matchingListRuns: Handler = async ({ req, res, db, principal }) => {
  const query = req.query as ListQuery;
  const configId = query.matching_config_id;
  const page = await listRuns(db, principal.tenantId, {
    limit: query.limit ?? 20,
    status: query.status,
    configId: configId === undefined ? undefined : uuidParam(configId, 'matching_config_id', 'query'),
    after: cursorParam(query.cursor),
  });
  const body: ListBody = { data: page.items, next_cursor: page.nextCursor };
  res.json(body);
};
