import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Problem } from '../../server/http/problems.ts';
import { decodeCursor, encodeCursor, setCursorSecret } from '../../server/store/pagination.ts';
import { LIST_OPERATION, listPath, tenantHeaders } from '../helpers/apis.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { API_NAMES, specValidator } from '../helpers/spec.ts';

/** From the issue: ["0000-01-01T00:00:00.000Z", "7e1e0000-…"], once a 500 (SQLSTATE 22008). */
const YEAR_ZERO = 'WyIwMDAwLTAxLTAxVDAwOjAwOjAwLjAwMFoiLCI3ZTFlMDAwMC0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMTAwMDEiXQ';
const unsigned = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

function refused(cursor: string, idType: 'uuid' | 'bigint' = 'uuid'): boolean {
  try {
    decodeCursor(cursor, idType);
    return false;
  } catch (err) {
    return err instanceof Problem && err.status === 400;
  }
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
          return err instanceof Problem && err.status === 400;
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

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe.each(API_NAMES)('%s list operation', (api) => {
  const spec = specValidator(api);
  const { operationId, badInput } = LIST_OPERATION[api];

  test('a forged cursor dated year 0000 is the API’s own 4xx, never a 500', async () => {
    const tenant = server.demo[api]?.[0];
    if (!tenant) throw new Error(`no demo tenant for ${api}`);
    const res = await server.get(`${listPath(api, tenant)}cursor=${YEAR_ZERO}`, tenantHeaders(tenant));
    expect(res.status).toBe(badInput);
    expect(spec.validate(operationId, badInput, await res.json()).errors).toBe('No errors');
  });

  test('the cursor it issued pages on; the same cursor with one character changed is refused', async () => {
    const tenant = server.demo[api]?.[0];
    if (!tenant) throw new Error(`no demo tenant for ${api}`);
    const first = await server.get(`${listPath(api, tenant)}limit=1`, tenantHeaders(tenant));
    expect(first.status).toBe(200);
    const body = (await first.json()) as { next_cursor?: string; meta?: { next_cursor?: string } };
    const cursor = body.next_cursor ?? body.meta?.next_cursor;
    expect(cursor).toBeTruthy();
    const next = await server.get(`${listPath(api, tenant)}limit=1&cursor=${cursor}`, tenantHeaders(tenant));
    expect(next.status).toBe(200);
    const forged = `${cursor?.slice(0, 5)}${cursor?.[5] === 'x' ? 'y' : 'x'}${cursor?.slice(6)}`;
    const res = await server.get(`${listPath(api, tenant)}limit=1&cursor=${forged}`, tenantHeaders(tenant));
    expect(res.status).toBe(badInput);
    expect(spec.validate(operationId, badInput, await res.json()).errors).toBe('No errors');
  });
});
