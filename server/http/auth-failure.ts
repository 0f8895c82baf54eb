import type { Request } from 'express';
import { StoreUnavailable } from '../core/errors.ts';

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
  if (err instanceof StoreUnavailable) storeFailures.add(req);
  return Object.assign(new Error('Credentials could not be checked.'), { status: 500, cause: err });
}
