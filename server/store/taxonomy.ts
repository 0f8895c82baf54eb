import type { components } from '../../generated/taxonomy.ts';
import type { Queryable, SqlParam } from './db.ts';
import { listQuery } from './list-query.ts';
import { type CursorPosition, toPage } from './pagination.ts';

type TaxonomyRun = components['schemas']['TaxonomyRun'];
export type TaxonomyRunStatus = components['schemas']['TaxonomyRunStatus'];

/** A row as the store returns it: the spec's optional fields come back as NULL. */
type OptionalKey = { [K in keyof TaxonomyRun]-?: object extends Pick<TaxonomyRun, K> ? K : never }[keyof TaxonomyRun];
export type TaxonomyRunRow = Omit<TaxonomyRun, OptionalKey> & {
  [K in OptionalKey]-?: NonNullable<TaxonomyRun[K]> | null;
};

/** What a transition may record along with the new status (counters, results, the failure). */
export type TransitionFields = Partial<
  Pick<
    TaxonomyRun,
    | 'record_count'
    | 'embedding_count'
    | 'cluster_count'
    | 'node_count'
    | 'metrics'
    | 'error'
    | 'error_code'
    | 'field_label'
  >
>;

const COLUMNS = `id, cluster_count, created_at, embedding_count, field_id, node_count, record_count, source_id,
  source_type, status, tenant_id, updated_at, error, error_code, field_label, finished_at, metrics, params, started_at`;

/**
 * One run, visible only when the tenant the caller named is the key's own tenant: both are in the
 * WHERE, so a foreign run and a foreign tenant_id read exactly like a missing id.
 */
export async function getRun(
  db: Queryable,
  keyTenantId: string,
  tenantId: string,
  runId: string,
): Promise<TaxonomyRunRow | undefined> {
  const rows = await db.query<TaxonomyRunRow>(
    `SELECT ${COLUMNS} FROM taxonomy_runs WHERE id = $1 AND tenant_id = $2 AND tenant_id = $3`,
    [runId, keyTenantId, tenantId],
  );
  return rows[0];
}

export async function listRuns(
  db: Queryable,
  keyTenantId: string,
  options: {
    tenantId: string;
    limit: number;
    status?: TaxonomyRunStatus | undefined;
    fieldId?: string | undefined;
    after?: CursorPosition | undefined;
  },
): Promise<{ items: TaxonomyRunRow[]; nextCursor: string | null }> {
  const { sql, params } = listQuery({
    table: 'taxonomy_runs',
    columns: COLUMNS,
    tenantColumn: 'tenant_id',
    tenantId: keyTenantId,
    // The named tenant is a second condition on the same column: another tenant's name matches nothing.
    filters: { tenant_id: options.tenantId, status: options.status, field_id: options.fieldId },
    after: options.after,
    idType: 'uuid',
    limit: options.limit,
  });
  const rows = await db.query<TaxonomyRunRow>(sql, params);
  return toPage(rows, options.limit, (r) => ({ createdAt: r.created_at, id: r.id }));
}

/** The status change a run's lifecycle does not allow; the row was left as it was. */
export class TaxonomyTransitionError extends Error {
  readonly runId: string;
  readonly from: TaxonomyRunStatus;
  readonly to: TaxonomyRunStatus;

  constructor(runId: string, from: TaxonomyRunStatus, to: TaxonomyRunStatus) {
    super(`illegal taxonomy run transition ${from} -> ${to}`);
    this.name = 'TaxonomyTransitionError';
    this.runId = runId;
    this.from = from;
    this.to = to;
  }
}

const TERMINAL: readonly TaxonomyRunStatus[] = ['succeeded', 'failed', 'canceled'];

/** Raised by the migration's trigger (taxonomy_runs_guard_transition). */
function isRefusedTransition(err: unknown): boolean {
  const e = err as { code?: unknown; constraint?: unknown } | null;
  return e?.code === '23514' && e.constraint === 'taxonomy_runs_status_transition';
}

/**
 * Moves a run of `tenantId` to `to`, recording `fields` with it. The database's trigger decides
 * what is legal; refused, this throws TaxonomyTransitionError and nothing was written.
 * Undefined when the tenant has no such run.
 */
export async function transitionRun(
  db: Queryable,
  tenantId: string,
  runId: string,
  to: TaxonomyRunStatus,
  fields: TransitionFields = {},
): Promise<TaxonomyRunRow | undefined> {
  const json = (value: object | undefined): string | null => (value === undefined ? null : JSON.stringify(value));
  const params: SqlParam[] = [
    runId,
    tenantId,
    to,
    TERMINAL.includes(to),
    fields.record_count ?? null,
    fields.embedding_count ?? null,
    fields.cluster_count ?? null,
    fields.node_count ?? null,
    json(fields.metrics),
    fields.error ?? null,
    fields.error_code ?? null,
    fields.field_label ?? null,
  ];
  try {
    const rows = await db.query<TaxonomyRunRow>(
      `UPDATE taxonomy_runs SET
         status = $3::text,
         started_at = CASE WHEN $3::text = 'running' THEN now() ELSE started_at END,
         finished_at = CASE WHEN $4::boolean THEN now() ELSE finished_at END,
         updated_at = now(),
         record_count = COALESCE($5::bigint, record_count),
         embedding_count = COALESCE($6::bigint, embedding_count),
         cluster_count = COALESCE($7::bigint, cluster_count),
         node_count = COALESCE($8::bigint, node_count),
         metrics = COALESCE($9::jsonb, metrics),
         error = COALESCE($10::text, error),
         error_code = COALESCE($11::text, error_code),
         field_label = COALESCE($12::text, field_label)
       WHERE id = $1 AND tenant_id = $2
       RETURNING ${COLUMNS}`,
      params,
    );
    return rows[0];
  } catch (err) {
    if (!isRefusedTransition(err)) throw err;
    const [row] = await db.query<{ status: TaxonomyRunStatus }>(
      'SELECT status FROM taxonomy_runs WHERE id = $1 AND tenant_id = $2',
      [runId, tenantId],
    );
    throw new TaxonomyTransitionError(runId, row?.status ?? to, to);
  }
}
