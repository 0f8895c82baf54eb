import pg from 'pg';
import { type Db, INT8_OID, NUMERIC_OID, type Queryable, type SqlParam, TIMESTAMPTZ_OID, toIso } from './db.ts';
import { atBoundary } from './unavailable.ts';

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === TIMESTAMPTZ_OID) return toIso;
    if (oid === INT8_OID || oid === NUMERIC_OID) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

export interface PostgresOptions {
  url: string;
  /** Schema to work in (tests give each file its own); created if missing. */
  schema?: string;
  max?: number;
  /**
   * Bounded waits (ms; 0 = none, for bulk loads): a new connection, a statement on the server, a
   * reply on the client. The server sets them from PG_*_TIMEOUT_MS.
   */
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
  queryTimeoutMs?: number;
}

/** A real PostgreSQL server through node-postgres; the same SQL as the embedded store. */
export async function openPostgres({
  url,
  schema,
  max = 10,
  connectTimeoutMs = 0,
  statementTimeoutMs = 0,
  queryTimeoutMs = 0,
}: PostgresOptions): Promise<Db> {
  if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  if (schema) await atBoundary(() => createSchema(url, schema, connectTimeoutMs, queryTimeoutMs));
  const pool = new pg.Pool({
    connectionString: url,
    max,
    types,
    // A frozen server (no RST, no reply) must not hold a request: every wait is bounded. The
    // statement timeout stops the work on the server; the query timeout gives up on the reply.
    connectionTimeoutMillis: connectTimeoutMs,
    ...(statementTimeoutMs ? { statement_timeout: statementTimeoutMs } : {}),
    ...(queryTimeoutMs ? { query_timeout: queryTimeoutMs } : {}),
    keepAlive: true,
    // No JIT: these are short indexed queries, where compiling costs more than it saves (a
    // stale estimate once made every samples summary pay 240 ms of JIT).
    options: `-c jit=off${schema ? ` -c search_path=${schema}` : ''}`,
  });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  const wrap = (client: pg.Pool | pg.PoolClient): Queryable => ({
    async query<T extends object>(sql: string, params: readonly SqlParam[] = []) {
      const started = performance.now();
      const result = await atBoundary(() => client.query<T>(sql, params as unknown[]));
      db.onQuery?.(performance.now() - started);
      return result.rows;
    },
    async exec(sql: string) {
      await atBoundary(() => client.query(sql));
    },
  });
  const db: Db = {
    driver: 'postgres',
    ...wrap(pool),
    // Checkout, BEGIN and COMMIT are driver calls too; what `fn` throws is already in the store's terms.
    transaction: (fn) =>
      atBoundary(async () => {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const result = await fn(wrap(client));
          await client.query('COMMIT');
          return result;
        } catch (err) {
          await client.query('ROLLBACK').catch(() => {});
          throw err;
        } finally {
          client.release();
        }
      }),
    close: () => pool.end(),
  };
  return db;
}

/** Each test file (or instance) may work in its own schema: made once, before the pool opens. */
async function createSchema(url: string, schema: string, connectTimeoutMs: number, queryTimeoutMs: number) {
  const admin = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: connectTimeoutMs,
    ...(queryTimeoutMs ? { query_timeout: queryTimeoutMs } : {}),
  });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } catch (err) {
    // IF NOT EXISTS still races another instance creating it: that one's schema will do.
    if (!['23505', '42P06'].includes((err as { code?: string }).code ?? '')) throw err;
  } finally {
    await admin.end();
  }
}
