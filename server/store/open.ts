import type { Db } from './db.ts';
import { openPglite } from './pglite.ts';
import { startFromTemplate } from './pglite-template.ts';
import { withQueryTimeout } from './timeout.ts';

export interface StoreOptions {
  /** postgres://... : use a real server. Otherwise the embedded PGlite. */
  databaseUrl?: string | undefined;
  /** PGlite folder (a new one starts as a copy of the migrated template, if made); undefined keeps everything in memory. */
  dataDir?: string | undefined;
  schema?: string | undefined;
  /** Bounded waits in ms (README "Operating it"); none when absent (bulk loads, benchmarks). */
  timeouts?: { connectMs?: number; statementMs?: number; queryMs?: number };
}

export async function openStore(options: StoreOptions = {}): Promise<Db> {
  const t = options.timeouts;
  if (!options.databaseUrl && options.dataDir) startFromTemplate(options.dataDir);
  // Loaded only when used: the pg driver is a noticeable share of an embedded start's imports.
  const db = options.databaseUrl
    ? await (await import('./postgres.ts')).openPostgres({
        url: options.databaseUrl,
        schema: options.schema,
        connectTimeoutMs: t?.connectMs ?? 0,
        statementTimeoutMs: t?.statementMs ?? 0,
        queryTimeoutMs: t?.queryMs ?? 0,
      })
    : await openPglite(options.dataDir);
  if (!t?.queryMs) return db;
  // On PostgreSQL slightly above the driver's own query timeout, so its error is the usual one.
  return withQueryTimeout(db, t.queryMs + (options.databaseUrl ? 250 : 0));
}
