import type { Request } from 'express';
import type { PrincipalCache } from '../cache/principals.ts';
import type { ApiName, SecurityHandler } from '../core/types.ts';
import type { Db } from '../store/db.ts';
import { findKey, hashKey } from '../store/keys.ts';
import { isStoreUnavailable } from '../store/unavailable.ts';

/** The credential of `Authorization: Bearer <credential>`, or undefined when absent or malformed. */
export function bearerToken(req: Request): string | undefined {
  const match = /^Bearer ([\x21-\x7e]{1,4096})$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

/** An error whose message the API's 401 body carries. */
export class AuthFailure extends Error {
  readonly status = 401;
}

/** Requests whose credentials could not be checked because the store failed. */
const storeFailures = new WeakSet<Request>();
export const authStoreFailed = (req: Request): boolean => storeFailures.has(req);

/**
 * What a security handler throws when the store failed under it: EOV turns a status-less error
 * into a 401 and a 500 into a 500, so the request is flagged and the error responder answers 503;
 * a store outage must never read as bad credentials.
 */
export function authStoreError(req: Request, err: unknown): Error {
  if (isStoreUnavailable(err)) storeFailures.add(req);
  return Object.assign(new Error('Credentials could not be checked.'), { status: 500, cause: err });
}

/**
 * EOV security handler for an API key stored hashed in api_keys: accepts a live key of this API
 * and records who called; anything else is refused with `message`. An accepted key is remembered
 * for the principal cache's TTL, so a warm request costs no query.
 */
export function apiKeyHandler(api: ApiName, db: Db, message: string, principals?: PrincipalCache): SecurityHandler {
  const lookup = (token: string) =>
    principals
      ? principals.lookup(`${api}:key:${hashKey(token)}`, () => findKey(db, api, token))
      : findKey(db, api, token);
  return async function verifyApiKey(req) {
    const token = bearerToken(req);
    let owner: Awaited<ReturnType<typeof findKey>>;
    try {
      owner = token ? await lookup(token) : undefined;
    } catch (err) {
      throw authStoreError(req, err);
    }
    if (!owner) throw new AuthFailure(message);
    req.principal = { api, tenantId: owner.tenantId, subject: owner.subject };
    return true;
  };
}
