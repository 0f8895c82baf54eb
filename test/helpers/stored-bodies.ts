import type { Db } from '../../server/store/db.ts';
import type { TestServer } from './server.ts';

export interface StoredBodyRow {
  key: string;
  version: string;
  etag: string;
  body: string;
}

/** The final_bodies rows of one URL (the cache key ends with the URL as sent). */
export const storedRows = (db: Db, path: string): Promise<StoredBodyRow[]> =>
  db.query<StoredBodyRow>('SELECT key, version, etag, body FROM final_bodies WHERE key LIKE $1', [`%\n${path}`]);

/** The stored row of `path`, once every write `server` began has ended (it writes after answering). */
export async function storedRow(server: TestServer, path: string): Promise<StoredBodyRow> {
  await server.settled();
  const [row] = await storedRows(server.store.db, path);
  if (!row) throw new Error(`no stored body for ${path}`);
  return row;
}
