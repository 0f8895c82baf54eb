import type { Queryable } from './db.ts';

/** A stored terminal-run body: the bytes as text (they are JSON) and their ETag. */
export interface StoredBody {
  etag: string;
  body: string;
}

/** The stored bodies of `version` among `keys` (any order; a key with none is absent). */
export async function readFinalBodies(
  db: Queryable,
  keys: readonly string[],
  version: string,
): Promise<Map<string, StoredBody>> {
  const rows = await db.query<StoredBody & { key: string }>(
    'SELECT key, etag, body FROM final_bodies WHERE key = ANY($1::text[]) AND version = $2',
    [[...keys], version],
  );
  return new Map(rows.map(({ key, etag, body }) => [key, { etag, body }]));
}

/** Which of `keys` have a body of `version` stored: a writer skips those without reading a body. */
export async function storedFinalKeys(db: Queryable, keys: readonly string[], version: string): Promise<Set<string>> {
  const rows = await db.query<{ key: string }>(
    'SELECT key FROM final_bodies WHERE key = ANY($1::text[]) AND version = $2',
    [[...keys], version],
  );
  return new Set(rows.map((r) => r.key));
}

/** Where a page of recent bodies ended: the next page starts after it. */
export interface RecentCursor {
  storedAt: string;
  key: string;
}

/**
 * Up to `limit` bodies of `version`, newest first, after `after`. stored_at goes out and back as
 * text: its microseconds are what orders rows written in the same millisecond.
 */
export async function readRecentFinalBodies(
  db: Queryable,
  version: string,
  limit: number,
  after?: RecentCursor,
): Promise<Array<StoredBody & { key: string; cursor: RecentCursor }>> {
  const rows = await db.query<StoredBody & { key: string; stored_at: string }>(
    after
      ? `SELECT key, etag, body, stored_at::text AS stored_at FROM final_bodies
          WHERE version = $1 AND (stored_at, key) < ($3::timestamptz, $4::text)
          ORDER BY stored_at DESC, key DESC LIMIT $2`
      : `SELECT key, etag, body, stored_at::text AS stored_at FROM final_bodies
          WHERE version = $1 ORDER BY stored_at DESC, key DESC LIMIT $2`,
    after ? [version, limit, after.storedAt, after.key] : [version, limit],
  );
  return rows.map(({ key, etag, body, stored_at }) => ({ key, etag, body, cursor: { storedAt: stored_at, key } }));
}

/** Bodies of another version under the same keys are replaced; those of this version are kept as they are. */
export async function writeFinalBodies(
  db: Queryable,
  bodies: ReadonlyMap<string, StoredBody>,
  version: string,
): Promise<void> {
  const keys = [...bodies.keys()];
  const stored = [...bodies.values()];
  await db.query(
    `INSERT INTO final_bodies (key, version, etag, body)
       SELECT key, $2, etag, body FROM unnest($1::text[], $3::text[], $4::text[]) AS b(key, etag, body)
     ON CONFLICT (key) DO UPDATE SET version = EXCLUDED.version, etag = EXCLUDED.etag, body = EXCLUDED.body,
       stored_at = now()
     WHERE final_bodies.version <> EXCLUDED.version`,
    [keys, version, stored.map((s) => s.etag), stored.map((s) => s.body)],
  );
}
