/**
 * The one interface every query goes through. Two drivers implement it with the same SQL:
 * PGlite (embedded PostgreSQL in WASM) and node-postgres against a real server.
 */
export type SqlParam = string | number | boolean | null | Date | string[] | number[];

export interface Queryable {
  query<T extends object = Record<string, unknown>>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  /** Runs several statements separated by `;` (migrations). No parameters. */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly driver: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction: everything it wrote is kept, or nothing is. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Milliseconds spent in queries, reported to /metrics when an observer is set. */
  onQuery?: (ms: number) => void;
  close(): Promise<void>;
}

/** Timestamps leave the store as ISO strings: the validator mishandles Date under type arrays. */
export const toIso = (value: string): string => new Date(value).toISOString();
export const TIMESTAMPTZ_OID = 1184;
export const INT8_OID = 20;
export const NUMERIC_OID = 1700;
