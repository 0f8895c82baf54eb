import type { Db } from './db.ts';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';

export interface StoreOptions {
  /** postgres://... : use a real server. Otherwise the embedded PGlite. */
  databaseUrl?: string | undefined;
  /** PGlite folder; undefined keeps everything in memory. */
  dataDir?: string | undefined;
  schema?: string | undefined;
}

export function openStore(options: StoreOptions = {}): Promise<Db> {
  if (options.databaseUrl) return openPostgres({ url: options.databaseUrl, schema: options.schema });
  return openPglite(options.dataDir);
}
