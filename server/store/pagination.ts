import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { InvalidCursor } from '../core/errors.ts';

/** Position after the last row of a page, in the list order (created_at desc, id desc). */
export interface CursorPosition {
  createdAt: string;
  id: string;
}

/**
 * Cursors are signed, so a position this server never issued (a forged date, an id of another
 * shape) is refused before it reaches SQL. Several processes behind one load balancer, or a
 * restart in the middle of paging, need one CURSOR_SECRET; without it each process has its own.
 */
let secret: Buffer = randomBytes(32);

export function setCursorSecret(value: string | undefined): void {
  secret = value ? Buffer.from(value, 'utf8') : randomBytes(32);
}

const MAC_BYTES = 16;
const sign = (payload: string): Buffer => createHmac('sha256', secret).update(payload).digest().subarray(0, MAC_BYTES);

export function encodeCursor(p: CursorPosition): string {
  const payload = Buffer.from(JSON.stringify([p.createdAt, p.id]), 'utf8').toString('base64url');
  return `${payload}.${sign(payload).toString('base64url')}`;
}

const ISO_MS = /^(\d{4})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** Row ids as each id column type accepts them. */
const ROW_ID = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  bigint: /^[1-9]\d{0,17}$/,
};

function verified(cursor: string): string | undefined {
  const [payload, mac, ...rest] = cursor.split('.');
  if (!payload || !mac || rest.length > 0 || !/^[\w-]+$/.test(payload) || !/^[\w-]+$/.test(mac)) return undefined;
  // Compared as text: decoding would ignore the spare low bits of the last character.
  const given = Buffer.from(mac, 'utf8');
  const expected = Buffer.from(sign(payload).toString('base64url'), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected) ? payload : undefined;
}

/** Decodes a cursor from a client; anything we did not issue throws InvalidCursor (the API's 400). */
export function decodeCursor(
  cursor: string | undefined,
  idType: keyof typeof ROW_ID = 'uuid',
  parameter = 'cursor',
): CursorPosition | undefined {
  if (cursor === undefined) return undefined;
  try {
    const payload = verified(cursor);
    const value: unknown = payload ? JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) : undefined;
    // Even a signed position is checked as strictly as the SQL cast will be (a leaked secret
    // must not turn into a 500): year 0000 is valid ISO but out of PostgreSQL's range.
    const year =
      typeof (value as unknown[] | undefined)?.[0] === 'string' ? ISO_MS.exec((value as string[])[0] ?? '') : null;
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string' &&
      year &&
      Number(year[1]) >= 1 &&
      !Number.isNaN(Date.parse(value[0])) &&
      new Date(value[0]).toISOString() === value[0] &&
      ROW_ID[idType].test(value[1])
    ) {
      return { createdAt: value[0], id: value[1] };
    }
  } catch {
    // fall through to the refusal below
  }
  throw new InvalidCursor(parameter);
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
