import { type PGlite, parse, protocol } from '@electric-sql/pglite';
import type { SqlParam } from './db.ts';

/**
 * PGlite's query() sends parse, describe, bind, describe, execute and sync as six calls into
 * the WASM backend, and PostgreSQL parses and plans the text every time. The same SQL as a
 * named prepared statement is one call of bind, describe, execute and sync on a parsed statement
 * with a cached plan: a telemetry summary on the bench's dataset took 800-880 µs through query()
 * and 170-200 µs so. The server runs a few dozen distinct texts, so each is prepared once.
 */
const MAX_STATEMENTS = 256;

/** What PGlite keeps to itself but query() uses: its locks, serializers and parsers. */
interface Internals {
  _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T>;
  serializers: Record<number, ((value: unknown) => string) | undefined>;
  parsers: Parameters<typeof parse.parseResults>[1];
}

interface Statement {
  name: string;
  types: number[];
}

/** Answer undefined: this text is not prepared (the cache is full, or its plan went stale). */
const NOT_PREPARED = Symbol('not prepared');

const concat = (parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

/**
 * A query function over named prepared statements, or undefined where this PGlite does not have
 * what it needs (a stand-in in a test). Takes the same two locks query() takes, so it never runs
 * inside another caller's transaction; a text it does not prepare goes through query().
 */
export function preparedQuery(
  pg: PGlite,
): (<T extends object>(sql: string, params: readonly SqlParam[]) => Promise<T[]>) | undefined {
  const own = pg as unknown as Partial<Internals>;
  if (typeof own._runExclusiveTransaction !== 'function' || typeof pg.execProtocol !== 'function') return undefined;
  const internals = own as Internals;
  const statements = new Map<string, Statement>();
  let made = 0;
  const serialize = protocol.serialize;

  async function prepare(sql: string): Promise<Statement> {
    const name = `rac_${++made}`;
    const { messages } = await pg.execProtocol(
      concat([serialize.parse({ name, text: sql }), serialize.describe({ type: 'S', name }), serialize.sync()]),
    );
    const statement = { name, types: parse.parseDescribeStatementResults(messages) };
    statements.set(sql, statement);
    return statement;
  }

  async function run<T>(sql: string, params: readonly SqlParam[]): Promise<T[] | typeof NOT_PREPARED> {
    if (pg.closed) return NOT_PREPARED;
    let statement = statements.get(sql);
    if (!statement) {
      if (statements.size >= MAX_STATEMENTS) return NOT_PREPARED;
      statement = await prepare(sql);
    }
    const types = statement.types;
    const values = params.map((value, i) => {
      if (value === null || value === undefined) return null;
      const serializer = internals.serializers[types[i] ?? 0];
      return serializer ? serializer(value) : String(value);
    });
    try {
      const { messages } = await pg.execProtocol(
        concat([
          serialize.bind({ statement: statement.name, values }),
          serialize.describe({ type: 'P' }),
          serialize.execute({}),
          serialize.sync(),
        ]),
      );
      return (parse.parseResults(messages, internals.parsers)[0]?.rows ?? []) as T[];
    } catch (err) {
      // A table the statement reads changed shape under it: query() parses the text afresh.
      if ((err as { code?: string }).code !== '0A000') throw err;
      await pg.execProtocol(concat([serialize.close({ type: 'S', name: statement.name }), serialize.sync()]));
      statements.delete(sql);
      return NOT_PREPARED;
    }
  }

  return async <T extends object>(sql: string, params: readonly SqlParam[]): Promise<T[]> => {
    // A closed PGlite answers query() with its own error; its protocol entry has no such check.
    const rows = pg.closed
      ? NOT_PREPARED
      : await internals._runExclusiveTransaction(() => pg.runExclusive(() => run<T>(sql, params)));
    if (rows !== NOT_PREPARED) return rows;
    return (await pg.query<T>(sql, params as unknown[])).rows;
  };
}
