import { StoreUnavailable } from '../core/errors.ts';
import type { Db, Queryable } from './db.ts';
import { asStoreError, atBoundary } from './unavailable.ts';

/** A query that got no answer in time: the store is unavailable (503, Retry-After), not broken. */
export class StoreTimeout extends StoreUnavailable {
  constructor(ms: number) {
    super(undefined, `The store did not answer within ${ms} ms`);
    this.name = 'StoreTimeout';
  }
}

function bounded<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreTimeout(ms)), ms);
  });
  // The wrapped Db may be any Db (a test's fault switch too): its failures leave in the store's terms.
  // An abandoned query that fails later is no longer anyone's error: the race has handled it.
  const answered = work.catch((err: unknown) => Promise.reject(asStoreError(err)));
  return Promise.race([answered, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Every query answers or fails within `ms`, whatever the driver: node-postgres has its own
 * connect/statement/query timeouts (server/store/postgres.ts); this also bounds the embedded
 * store and anything that waits on a pool slot. Transactions are left to the driver's bounds:
 * abandoning one half-way is the driver's job, not ours.
 */
export function withQueryTimeout(db: Db, ms: number): Db {
  if (!ms) return db;
  const wrapped: Db = {
    driver: db.driver,
    query: (sql, params) => bounded(db.query(sql, params), ms),
    exec: (sql) => bounded(db.exec(sql), ms),
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) => atBoundary(() => db.transaction(fn)),
    close: () => db.close(),
    get onQuery() {
      return db.onQuery;
    },
    set onQuery(fn) {
      db.onQuery = fn;
    },
  };
  return wrapped;
}
