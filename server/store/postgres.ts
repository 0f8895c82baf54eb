import { createHash } from 'node:crypto';
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
  const named = statementNames();
  const wrap = (client: pg.Pool | pg.PoolClient): Queryable => ({
    async query<T extends object>(sql: string, params: readonly SqlParam[] = []) {
      const started = performance.now();
      const values = params as unknown[];
      const result = await atBoundary(async () => {
        try {
          return await client.query<T>({ name: named.of(sql), text: sql, values });
        } catch (err) {
          // A table changed shape under the statement: a new name parses the text afresh.
          if ((err as { code?: string }).code !== '0A000') throw err;
          named.renew(sql);
          return client.query<T>(sql, values);
        }
      });
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

/**
 * Every query runs as a named prepared statement: node-postgres parses a name once per connection
 * and then only binds and executes, so the server neither parses nor plans the text again (the
 * same change on the embedded store took a telemetry summary from 800 to 170-200 µs there). The
 * name is the text's hash and a generation, renewed when a plan goes stale.
 */
function statementNames(): { of(sql: string): string; renew(sql: string): void } {
  const names = new Map<string, string>();
  let generation = 0;
  const make = (sql: string) => {
    const name = `rac_${createHash('sha256').update(sql).digest('hex').slice(0, 20)}_${generation}`;
    names.set(sql, name);
    return name;
  };
  return {
    of: (sql) => names.get(sql) ?? make(sql),
    renew(sql) {
      generation++;
      make(sql);
    },
  };
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
