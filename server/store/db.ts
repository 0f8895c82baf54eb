/** The drivers' shared conversions; the query interface itself is core's (server/core/db.ts). */
export type { Db, Queryable, SqlParam } from '../core/db.ts';

/** Timestamps leave the store as ISO strings: the validator mishandles Date under type arrays. */
export const toIso = (value: string): string => new Date(value).toISOString();
export const TIMESTAMPTZ_OID = 1184;
export const INT8_OID = 20;
export const NUMERIC_OID = 1700;
