import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Db } from '../../server/store/db.ts';
import { migrate } from '../../server/store/migrate.ts';
import { openStore } from '../../server/store/open.ts';
import { withQueryTimeout } from '../../server/store/timeout.ts';
import { type ProxyMode, startTcpProxy } from './tcp-proxy.ts';

export interface FaultyStore {
  db: Db;
  /** forward: healthy; refuse: connections refused/reset; freeze: no reply at all. */
  set(mode: ProxyMode): void;
  kind: 'postgres through a TCP proxy' | 'pglite with a fault switch';
  close(): Promise<void>;
}

export interface StoreTimeouts {
  connectMs: number;
  statementMs: number;
  queryMs: number;
}

/**
 * A migrated store a test can break. With DATABASE_URL: the real PostgreSQL behind an in-test
 * loopback proxy, opened with the server's own timeouts. Without: in-memory PGlite whose queries,
 * when switched, fail as refused or never answer, under the server's own query timeout.
 */
export async function openFaultyStore(
  timeouts: StoreTimeouts,
  /** Runs after the migrations on an unbounded connection (a busy machine must not time setup out). */
  prepare: (db: Db) => Promise<void> = async () => {},
): Promise<FaultyStore> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const target = new URL(url);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const setup = await openStore({ databaseUrl: url, schema });
    await migrate(setup);
    await prepare(setup);
    await setup.close();
    const db = await openStore({ databaseUrl: proxy.url(url), schema, timeouts });
    return {
      db,
      kind: 'postgres through a TCP proxy',
      set: (mode) => proxy.set(mode),
      async close() {
        proxy.set('refuse');
        await db.close().catch(() => {});
        await proxy.close();
        const admin = new pg.Client({ connectionString: url });
        await admin.connect();
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await admin.end();
      },
    };
  }
  const inner = await openStore({});
  await migrate(inner);
  await prepare(inner);
  let mode: ProxyMode = 'forward';
  const gate = <T>(work: () => Promise<T>): Promise<T> => {
    if (mode === 'freeze') return new Promise<T>(() => {});
    if (mode === 'refuse')
      return Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    return work();
  };
  const switched: Db = {
    driver: inner.driver,
    query: (sql, params) => gate(() => inner.query(sql, params)),
    exec: (sql) => gate(() => inner.exec(sql)),
    transaction: (fn) => gate(() => inner.transaction(fn)),
    close: () => inner.close(),
  };
  return {
    db: withQueryTimeout(switched, timeouts.queryMs),
    kind: 'pglite with a fault switch',
    set: (next) => {
      mode = next;
    },
    close: () => inner.close(),
  };
}
