import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { type Db, INT8_OID, NUMERIC_OID, type Queryable, type SqlParam, TIMESTAMPTZ_OID, toIso } from './db.ts';
import { preparedQuery } from './pglite-prepared.ts';
import { atBoundary } from './unavailable.ts';

const parsers = {
  [TIMESTAMPTZ_OID]: toIso,
  [INT8_OID]: (v: string) => Number(v),
  [NUMERIC_OID]: (v: string) => Number(v),
};

type Query = <T extends object>(sql: string, params: readonly SqlParam[]) => Promise<T[]>;

function wrap(q: Pick<PGlite, 'query' | 'exec'>, onQuery?: (ms: number) => void, prepared?: Query): Queryable {
  const query: Query = prepared ?? (async (sql, params) => (await q.query(sql, params as unknown[])).rows as never);
  return {
    async query<T extends object>(sql: string, params: readonly SqlParam[] = []) {
      const started = performance.now();
      const rows = await atBoundary(() => query<T>(sql, params));
      onQuery?.(performance.now() - started);
      return rows;
    },
    async exec(sql: string) {
      await atBoundary(() => q.exec(sql));
    },
  };
}

/**
 * PostgreSQL's default 128 MB buffer pool is laid out in WASM memory when PGlite starts: about
 * 0.4 s of every start and 110 MB of resident memory. 32 MB holds the demo dataset and the hot
 * index pages of a 1,000,000-row table (bench/results/pglite-scale.md); a page it evicts is read
 * again from the OS's file cache, not from disk.
 */
const startParams = [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'];

/** Embedded PostgreSQL: in memory when `dataDir` is undefined, else kept in that folder. */
export async function openPglite(dataDir?: string): Promise<Db> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pg = await atBoundary(() =>
    PGlite.create(dataDir ? { dataDir, parsers, startParams } : { parsers, startParams }),
  );
  const db: Db = {
    driver: 'pglite',
    // Outside transactions, every query is a named prepared statement (pglite-prepared.ts).
    ...wrap(pg, (ms) => db.onQuery?.(ms), preparedQuery(pg)),
    // A closed store fails here before any query does.
    transaction: (fn) => atBoundary(() => pg.transaction((tx) => fn(wrap(tx, (ms) => db.onQuery?.(ms))))),
    close: () => pg.close(),
  };
  return db;
}
