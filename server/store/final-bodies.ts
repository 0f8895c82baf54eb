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
