import type { Request } from 'express';
import type { ApiName, SecurityHandler } from '../apis/types.ts';
import type { Db } from '../store/db.ts';
import { findKey } from '../store/keys.ts';

/** The credential of `Authorization: Bearer <credential>`, or undefined when absent or malformed. */
export function bearerToken(req: Request): string | undefined {
  const match = /^Bearer ([\x21-\x7e]{1,4096})$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

/** An error whose message the API's 401 body carries. */
export class AuthFailure extends Error {
  readonly status = 401;
}

/**
 * EOV security handler for an API key stored hashed in api_keys: accepts a live key of this API
 * and records who called; anything else is refused with `message`.
 */
export function apiKeyHandler(api: ApiName, db: Db, message: string): SecurityHandler {
  return async function verifyApiKey(req) {
    const token = bearerToken(req);
    const owner = token ? await findKey(db, api, token) : undefined;
    if (!owner) throw new AuthFailure(message);
    req.principal = { api, tenantId: owner.tenantId, subject: owner.subject };
    return true;
  };
}
