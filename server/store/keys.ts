import { createHash } from 'node:crypto';
import type { ApiName } from '../../generated/apis.ts';
import type { Queryable } from './db.ts';

export type { ApiName };

export interface KeyOwner {
  api: ApiName;
  tenantId: string;
  subject: string;
}

export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/** The owner of a live key of `api`, or undefined: a key of another API is as unknown as a made-up one. */
export async function findKey(db: Queryable, api: ApiName, key: string): Promise<KeyOwner | undefined> {
  const rows = await db.query<{ tenant_id: string; subject: string }>(
    'SELECT tenant_id, subject FROM api_keys WHERE key_hash = $1 AND api = $2 AND revoked_at IS NULL',
    [hashKey(key), api],
  );
  const row = rows[0];
  return row && { api, tenantId: row.tenant_id, subject: row.subject };
}

export async function insertKey(db: Queryable, owner: KeyOwner, key: string, label = ''): Promise<void> {
  await db.query(
    `INSERT INTO api_keys (key_hash, api, tenant_id, subject, label) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (key_hash) DO NOTHING`,
    [hashKey(key), owner.api, owner.tenantId, owner.subject, label],
  );
}
