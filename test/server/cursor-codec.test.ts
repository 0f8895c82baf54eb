/**
 * The cursor codec in process: what it refuses it throws as the store's InvalidCursor, which the
 * http layer maps to the catalog's 400 with the parameter named (the APIs render it; their answers
 * are in cursor.test.ts).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { InvalidCursor } from '../../server/core/errors.ts';
import { toProblem } from '../../server/http/to-problem.ts';
import { decodeCursor, encodeCursor, setCursorSecret } from '../../server/store/pagination.ts';

/** From the issue: ["0000-01-01T00:00:00.000Z", "7e1e0000-…"], once a 500 (SQLSTATE 22008). */
const YEAR_ZERO = 'WyIwMDAwLTAxLTAxVDAwOjAwOjAwLjAwMFoiLCI3ZTFlMDAwMC0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMTAwMDEiXQ';
const unsigned = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

function refused(cursor: string, idType: 'uuid' | 'bigint' = 'uuid'): boolean {
  try {
    decodeCursor(cursor, idType);
    return false;
  } catch (err) {
    return isCursor400(err);
  }
}

/** Thrown as the store's own error, and mapped to the catalog's 400 naming the parameter. */
function isCursor400(err: unknown): boolean {
  if (!(err instanceof InvalidCursor)) return false;
  const problem = toProblem(err);
  return problem.status === 400 && problem.details.parameter === err.parameter && problem.details.location === 'query';
}

describe('cursor decoder', () => {
  test('a position round-trips; the same position unsigned or re-signed with another secret is refused', () => {
    const position = { createdAt: '2026-03-02T08:00:00.000Z', id: '7e1e0000-0000-4000-8000-000000010001' };
    const cursor = encodeCursor(position);
    expect(decodeCursor(cursor)).toEqual(position);
    expect(refused(unsigned([position.createdAt, position.id]))).toBe(true);
    setCursorSecret('another-secret');
    expect(refused(cursor)).toBe(true);
    setCursorSecret(undefined);
  });

  test('the year-0000 cursor of the issue is a 400, signed or not', () => {
    expect(refused(YEAR_ZERO)).toBe(true);
    expect(
      refused(encodeCursor({ createdAt: '0000-01-01T00:00:00.000Z', id: '7e1e0000-0000-4000-8000-000000010001' })),
    ).toBe(true);
  });

  test('fuzz: any string is either refused with a 400 or a position the SQL accepts', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 600 }), fc.constantFrom('uuid', 'bigint'), (s, idType) => {
        try {
          const p = decodeCursor(s, idType as 'uuid' | 'bigint');
          return p !== undefined && Number(p.createdAt.slice(0, 4)) >= 1;
        } catch (err) {
          return isCursor400(err);
        }
      }),
      { numRuns: 2000 },
    );
  });

  test('fuzz: any JSON payload not signed here is refused; any tampered signed cursor is refused', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => refused(unsigned(v)) && refused(`${unsigned(v)}.AAAAAAAAAAAAAAAAAAAAAA`)),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(
        fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }),
        fc.uuid(),
        fc.nat({ max: 200 }),
        (date, id, at) => {
          const cursor = encodeCursor({ createdAt: date.toISOString(), id });
          if (decodeCursor(cursor)?.id !== id) return false;
          const i = at % cursor.length;
          const flipped = cursor[i] === 'A' ? 'B' : 'A';
          return refused(cursor.slice(0, i) + flipped + cursor.slice(i + 1));
        },
      ),
      { numRuns: 500 },
    );
  });
});

test('a refusal names the parameter that carried the cursor', () => {
  let thrown: unknown;
  try {
    decodeCursor('nope', 'uuid', 'page_token');
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(InvalidCursor);
  expect(toProblem(thrown)).toMatchObject({
    kind: 'bad_request',
    message: 'The cursor is malformed or was not issued by this API.',
    details: { parameter: 'page_token', location: 'query' },
  });
});
