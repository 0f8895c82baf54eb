import type { Queryable } from './db.ts';

/** A stored terminal-run body: the bytes as text (they are JSON) and their ETag. */
export interface StoredBody {
  etag: string;
  body: string;
}

export async function readFinalBody(db: Queryable, key: string, version: string): Promise<StoredBody | undefined> {
  const [row] = await db.query<StoredBody>('SELECT etag, body FROM final_bodies WHERE key = $1 AND version = $2', [
    key,
    version,
  ]);
  return row;
}

/** A body of another version under the same key is replaced; one of this version is kept as it is. */
export async function writeFinalBody(db: Queryable, key: string, version: string, stored: StoredBody): Promise<void> {
  await db.query(
    `INSERT INTO final_bodies (key, version, etag, body) VALUES ($1, $2, $3, $4)
     ON CONFLICT (key) DO UPDATE SET version = EXCLUDED.version, etag = EXCLUDED.etag, body = EXCLUDED.body,
       stored_at = now()
     WHERE final_bodies.version <> EXCLUDED.version`,
    [key, version, stored.etag, stored.body],
  );
}
