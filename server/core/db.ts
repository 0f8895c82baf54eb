/**
 * The one interface every query goes through. Two drivers implement it with the same SQL
 * (server/store/pglite.ts, server/store/postgres.ts); it sits in core so that the types every
 * floor shares (core/types.ts) need nothing from the store.
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
