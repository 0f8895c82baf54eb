import type { Db } from '../../server/store/db.ts';

export interface StoredBodyRow {
  key: string;
  version: string;
  etag: string;
  body: string;
}

/** The final_bodies rows of one URL (the cache key ends with the URL as sent). */
export const storedRows = (db: Db, path: string): Promise<StoredBodyRow[]> =>
  db.query<StoredBodyRow>('SELECT key, version, etag, body FROM final_bodies WHERE key LIKE $1', [`%\n${path}`]);

/**
 * The stored row of `path` once `ready` holds: the server writes it after the answer has left,
 * without awaiting it, so a test yields to the event loop until it lands (a bounded number of turns).
 */
export async function storedRow(
  db: Db,
  path: string,
  ready: (row: StoredBodyRow) => boolean = () => true,
): Promise<StoredBodyRow> {
  for (let turn = 0; turn < 200; turn++) {
    const [row] = await storedRows(db, path);
    if (row && ready(row)) return row;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`no stored body for ${path}`);
}
