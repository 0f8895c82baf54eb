/**
 * The mapping of thrown errors to the catalog, in process: the store's own errors (a cursor it never
 * issued, a connection it lost) become the catalog's 400 and 503; a bug in our SQL stays a 500.
 */
import { describe, expect, test } from 'vitest';
import { InvalidCursor } from '../../server/core/errors.ts';
import { toProblem } from '../../server/http/to-problem.ts';
import { isStoreUnavailable } from '../../server/store/unavailable.ts';

const coded = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('store errors to problems', () => {
  test.each([
    ['pg: connection refused', coded('ECONNREFUSED')],
    ['pg: admin shutdown', coded('57P01')],
    ['pg: statement timeout', coded('57014')],
    ['pg: connection class 08', coded('08P01')],
    ['pg pool after end()', new Error('Cannot use a pool after calling end on the pool')],
    ['PGlite closed', new Error('PGlite is closed')],
    ['pg read timeout', new Error('Query read timeout')],
  ])('%s is the store being unavailable: a 503 with Retry-After', (_label, err) => {
    expect(isStoreUnavailable(err)).toBe(true);
    expect(toProblem(err)).toMatchObject({ kind: 'service_unavailable', status: 503, headers: { 'Retry-After': '5' } });
  });

  test.each([
    ['a syntax error in our SQL', coded('42601', 'syntax error at or near "SELEC"')],
    ['a check constraint', coded('23514', 'new row violates check constraint')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
  ])('%s is not: a 500', (_label, err) => {
    expect(isStoreUnavailable(err)).toBe(false);
    expect(toProblem(err)).toMatchObject({ kind: 'internal_error', status: 500 });
  });

  test('an invalid cursor is the 400 naming its parameter', () => {
    expect(toProblem(new InvalidCursor('cursor'))).toMatchObject({
      kind: 'bad_request',
      status: 400,
      details: { parameter: 'cursor', location: 'query' },
    });
  });
});
