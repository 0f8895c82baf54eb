import type { PrincipalCache } from '../cache/principals.ts';
import type { Db } from '../core/db.ts';
import type { ApiName, SecurityHandler } from '../core/types.ts';
import { findKey, hashKey, type KeyOwner } from '../store/keys.ts';
import { AuthFailure, authStoreError } from './auth-failure.ts';
import { bearerToken } from './bearer-token.ts';

/**
 * The owner of a live key of `api` (the store's api_keys, by hash). An accepted key is remembered
 * for the principal cache's TTL, so a warm request costs no query.
 */
export function keyOwner(
  db: Db,
  api: ApiName,
  key: string,
  principals: PrincipalCache | undefined,
): Promise<KeyOwner | undefined> {
  return principals
    ? principals.lookup(`${api}:key:${hashKey(key)}`, () => findKey(db, api, key))
    : findKey(db, api, key);
}

/**
 * EOV security handler for an API key sent as a bearer token: accepts a live key of this API and
 * records who called; anything else is refused with `message`.
 */
export function apiKeyHandler(api: ApiName, db: Db, message: string, principals?: PrincipalCache): SecurityHandler {
  return async function verifyApiKey(req) {
    const token = bearerToken(req);
    let owner: KeyOwner | undefined;
    try {
      owner = token ? await keyOwner(db, api, token, principals) : undefined;
    } catch (err) {
      throw authStoreError(req, err);
    }
    if (!owner) throw new AuthFailure(message);
    req.principal = { api, tenantId: owner.tenantId, subject: owner.subject };
    return true;
  };
}
