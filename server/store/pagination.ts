import { problem } from '../http/problems.ts';

/** Position after the last row of a page, in the list order (created_at desc, id desc). */
export interface CursorPosition {
  createdAt: string;
  id: string;
}

export const encodeCursor = (p: CursorPosition): string =>
  Buffer.from(JSON.stringify([p.createdAt, p.id]), 'utf8').toString('base64url');

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** Row ids as each id column type accepts them. */
const ROW_ID = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  bigint: /^[1-9]\d{0,17}$/,
};

/** Decodes a cursor from a client; anything we did not issue is a 400 in the API's own shape. */
export function decodeCursor(
  cursor: string | undefined,
  idType: keyof typeof ROW_ID = 'uuid',
  parameter = 'cursor',
): CursorPosition | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    // Checked as strictly as the SQL cast will be: a forged cursor is a 400, never a 500.
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string' &&
      ISO_MS.test(value[0]) &&
      !Number.isNaN(Date.parse(value[0])) &&
      new Date(value[0]).toISOString() === value[0] &&
      ROW_ID[idType].test(value[1])
    ) {
      return { createdAt: value[0], id: value[1] };
    }
  } catch {
    // fall through to the 400 below
  }
  throw problem('bad_request', 'The cursor is malformed or was not issued by this API.', {
    parameter,
    location: 'query',
  });
}

/**
 * Turns `limit + 1` rows fetched in list order into a page: the extra row only proves a next page.
 */
export function toPage<T>(
  rows: T[],
  limit: number,
  position: (row: T) => CursorPosition,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(position(last)) : null };
}
