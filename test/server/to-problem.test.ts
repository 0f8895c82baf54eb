/**
 * The mapping of thrown errors to the catalog, in process: the store's own errors (a cursor it never
 * issued, a store it cannot reach) become the catalog's 400 and 503; anything else is a 500. What
 * counts as unreachable is the drivers' call (test/server/store-boundary.test.ts), not this mapper's.
 */
import { describe, expect, test } from 'vitest';
import { InvalidCursor, StoreUnavailable } from '../../server/core/errors.ts';
import { toProblem } from '../../server/http/to-problem.ts';
import { StoreTimeout } from '../../server/store/timeout.ts';

describe('store errors to problems', () => {
  test.each([
    ['the store unavailable', new StoreUnavailable(new Error('driver said so'))],
    ['a query that timed out', new StoreTimeout(400)],
  ])('%s is a 503 with Retry-After', (_label, err) => {
    expect(toProblem(err)).toMatchObject({ kind: 'service_unavailable', status: 503, headers: { 'Retry-After': '5' } });
  });

  test.each([
    // The mapper reads no driver codes: a raw driver error that escaped the store is a bug, a 500.
    ['a raw refused connection', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['an error in our SQL', Object.assign(new Error('syntax error at or near "SELEC"'), { code: '42601' })],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
  ])('%s is a 500', (_label, err) => {
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

describe("the validator's 400s to problems", () => {
  test.each([
    {
      given: 'an unknown query parameter',
      error: { path: '.query.unknown', message: "Unknown query parameter 'unknown'" },
      want: "Invalid query parameter 'unknown': Unknown query parameter 'unknown'.",
    },
    {
      given: 'a value out of bounds (the trailing period is not doubled)',
      error: { path: '/query/limit', message: 'must be <= 100.' },
      want: "Invalid query parameter 'limit': must be <= 100.",
    },
  ])('$given', ({ error, want }) => {
    const problem = toProblem({ status: 400, errors: [error] });
    expect(problem).toMatchObject({ kind: 'bad_request', status: 400, message: want });
  });
});
