/**
 * The store speaks for its drivers: what pg or PGlite throw when the store cannot be reached leaves
 * every entry (connect, query, exec, transaction) as StoreUnavailable carrying the driver's error;
 * an error in our SQL leaves as it came. No store runs here: the two driver packages are replaced by
 * fakes that throw the table's error, so each driver's own wiring is what is tested.
 */
import { PGlite } from '@electric-sql/pglite';
import { describe, expect, test, vi } from 'vitest';
import { InvalidCursor, StoreUnavailable } from '../../server/core/errors.ts';
import type { Db } from '../../server/store/db.ts';
import { openPglite } from '../../server/store/pglite.ts';
import { openPostgres } from '../../server/store/postgres.ts';
import { StoreTimeout, withQueryTimeout } from '../../server/store/timeout.ts';

/** What the fake drivers throw, whatever they are asked (hoisted: the fakes below are built before any import). */
const driver = vi.hoisted(() => {
  const state = {
    error: undefined as unknown,
    fail: async (): Promise<never> => {
      throw state.error;
    },
  };
  return state;
});
const fail = driver.fail;

vi.mock('pg', () => {
  class Pool {
    on() {}
    query = driver.fail;
    connect = driver.fail;
    async end() {}
  }
  class Client {
    connect = driver.fail;
    async query() {}
    async end() {}
  }
  return { default: { Pool, Client, types: { getTypeParser: () => String } } };
});

vi.mock('@electric-sql/pglite', () => {
  const session = { query: driver.fail, exec: driver.fail };
  const opened = {
    ...session,
    transaction: (fn: (tx: typeof session) => unknown) => fn(session),
    close: async () => {},
  };
  return { PGlite: { create: async () => opened, defaultStartParams: [] } };
});

const coded = (code: string, message = 'x') => Object.assign(new Error(message), { code });

const UNAVAILABLE: Array<[string, Error]> = [
  ['pg: connection refused', coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
  ['pg: connection reset', coded('ECONNRESET', 'read ECONNRESET')],
  ['pg: host not found', coded('ENOTFOUND', 'getaddrinfo ENOTFOUND db')],
  ['pg: admin shutdown', coded('57P01', 'terminating connection due to administrator command')],
  ['pg: server starting up', coded('57P03', 'the database system is starting up')],
  ['pg: statement timeout', coded('57014', 'canceling statement due to statement timeout')],
  ['pg: connection class 08', coded('08P01', 'protocol violation')],
  ['pg: pool after end()', new Error('Cannot use a pool after calling end on the pool')],
  ['pg: connection lost mid-query', new Error('Connection terminated unexpectedly')],
  ['pg: reply timeout', new Error('Query read timeout')],
  ['pg: pool checkout timeout', new Error('timeout exceeded when trying to connect')],
  ['PGlite: closed', new Error('PGlite is closed')],
];

const PASSTHROUGH: Array<[string, Error]> = [
  ['a syntax error in our SQL', coded('42601', 'syntax error at or near "SELEC"')],
  ['a check constraint', coded('23514', 'new row violates check constraint')],
  ['a unique violation', coded('23505', 'duplicate key value violates unique constraint')],
  ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
  ['a store error already', new StoreUnavailable(new Error('PGlite is closed'))],
];

/** A Db whose every call fails with the table's error: what withQueryTimeout may wrap (tests' fault switches). */
const failingDb: Db = { driver: 'pglite', query: fail, exec: fail, transaction: fail, close: async () => {} };

const DRIVERS: Array<[string, () => Promise<Db>]> = [
  ['pglite', () => openPglite()],
  ['postgres', () => openPostgres({ url: 'postgres://fake/db' })],
  ['the query timeout over any Db', async () => withQueryTimeout(failingDb, 60_000)],
];

const ENTRIES: Array<[string, (db: Db) => Promise<unknown>]> = [
  ['query', (db) => db.query('SELECT 1')],
  ['exec', (db) => db.exec('SELECT 1')],
  ['transaction', (db) => db.transaction((tx) => tx.query('SELECT 1'))],
];

/** What `run` rejected with (it must reject). */
async function rejection(run: () => Promise<unknown>): Promise<unknown> {
  return run().then(
    () => expect.fail('expected a rejection'),
    (err: unknown) => err,
  );
}

describe.each(DRIVERS)('at the %s boundary', (_driver, open) => {
  describe.each(ENTRIES)('%s', (_entry, call) => {
    test.each(UNAVAILABLE)('%s -> StoreUnavailable carrying it', async (_label, raw) => {
      const db = await open();
      driver.error = raw;
      const err = await rejection(() => call(db));
      expect(err).toBeInstanceOf(StoreUnavailable);
      expect((err as Error).cause).toBe(raw);
    });

    test.each(PASSTHROUGH)('%s -> passes as it is', async (_label, raw) => {
      const db = await open();
      driver.error = raw;
      expect(await rejection(() => call(db))).toBe(raw);
    });
  });
});

const OPENINGS: Array<[string, () => Promise<Db>]> = [
  [
    'pglite',
    () => {
      vi.spyOn(PGlite, 'create').mockImplementationOnce(fail);
      return openPglite();
    },
  ],
  // Only a schema of its own makes openPostgres connect before its first query.
  ['postgres, creating its schema', () => openPostgres({ url: 'postgres://fake/db', schema: 't_boundary' })],
];

describe.each(OPENINGS)('opening %s', (_driver, open) => {
  test.each(UNAVAILABLE)('%s -> StoreUnavailable carrying it', async (_label, raw) => {
    driver.error = raw;
    const err = await rejection(open);
    expect(err).toBeInstanceOf(StoreUnavailable);
    expect((err as Error).cause).toBe(raw);
  });
});

describe('what the boundary leaves alone', () => {
  test("a transaction's own error passes as it is, even over a driver", async () => {
    const db = await openPglite();
    const own = new InvalidCursor();
    expect(await rejection(() => db.transaction(async () => Promise.reject(own)))).toBe(own);
  });

  test('a query with no answer within the bound is a StoreTimeout, itself StoreUnavailable', async () => {
    vi.useFakeTimers();
    try {
      const frozen: Db = { ...failingDb, query: () => new Promise(() => {}) };
      const pending = rejection(() => withQueryTimeout(frozen, 400).query('SELECT 1'));
      await vi.advanceTimersByTimeAsync(400);
      const err = await pending;
      expect(err).toBeInstanceOf(StoreTimeout);
      expect(err).toBeInstanceOf(StoreUnavailable);
    } finally {
      vi.useRealTimers();
    }
  });
});
