import type { SqlParam } from './db.ts';
import type { CursorPosition } from './pagination.ts';

export interface ListQuery {
  table: string;
  columns: string;
  /** Column of the tenant every read is scoped to. */
  tenantColumn: string;
  tenantId: string;
  /** Equality filters; undefined values are left out. */
  filters?: Record<string, string | undefined>;
  after?: CursorPosition | undefined;
  /** SQL type of the id column, for the cursor comparison. */
  idType?: 'uuid' | 'bigint' | 'text';
  limit: number;
}

/**
 * The keyset query every list operation runs: scoped by tenant in the WHERE, newest first,
 * `limit + 1` rows so the caller knows whether a next page exists. Matches the
 * (tenant, created_at DESC, id DESC) indexes.
 */
export function listQuery(q: ListQuery): { sql: string; params: SqlParam[] } {
  const params: SqlParam[] = [q.tenantId];
  const where = [`${q.tenantColumn} = $1`];
  for (const [column, value] of Object.entries(q.filters ?? {})) {
    if (value === undefined) continue;
    params.push(value);
    where.push(`${column} = $${params.length}`);
  }
  if (q.after) {
    params.push(q.after.createdAt, q.after.id);
    where.push(`(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::${q.idType ?? 'uuid'})`);
  }
  params.push(q.limit + 1);
  const sql = `SELECT ${q.columns} FROM ${q.table} WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT $${params.length}`;
  return { sql, params };
}
