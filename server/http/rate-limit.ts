import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import { problem } from '../core/problems.ts';
import type { Principal } from '../core/types.ts';

export interface RateLimitOptions {
  /** Requests allowed per window and key. */
  limit?: number;
  windowMs?: number;
  /** Send X-RateLimit-Limit/Remaining/Reset on every response (samples' contract). */
  budgetHeaders?: boolean;
  /** Where the counters live (server/http/counters.ts): Redis with an in-process fallback. */
  store: Store;
}

/**
 * The budget of an authenticated caller: the principal the security handler resolved, never the
 * credential string, so several keys or freshly minted JWTs of one caller share one budget. A
 * workflows user is counted per workspace they belong to and picked with X-Workspace-Id.
 */
export function principalKey(p: Principal, headers: IncomingHttpHeaders): string {
  const asked = headers['x-workspace-id'];
  const workspace = typeof asked === 'string' && p.workspaces?.includes(asked) ? asked : p.tenantId;
  return JSON.stringify([p.api, p.subject, workspace]);
}

/**
 * Per-principal rate limit, run right after authentication (see withPrincipalLimit); a refusal
 * becomes the API's own 429 with Retry-After.
 */
/** A principal's budget, and an address's for refused credentials, unless configured. */
export const PRINCIPAL_LIMIT = { limit: 120, windowMs: 60_000 };
export const REFUSED_LIMIT = { limit: 600, windowMs: 60_000 };

export function principalRateLimit({
  limit = PRINCIPAL_LIMIT.limit,
  windowMs = PRINCIPAL_LIMIT.windowMs,
  budgetHeaders = false,
  store,
}: RateLimitOptions): RequestHandler {
  return rateLimit({
    limit,
    windowMs,
    legacyHeaders: budgetHeaders,
    standardHeaders: false,
    keyGenerator: (req) => principalKey(req.principal as Principal, req.headers),
    // Only authenticated requests get here; the refused ones are bounded per address instead.
    skip: (req) => !req.principal,
    store,
    passOnStoreError: true,
    validate: { keyGeneratorIpFallback: false, xForwardedForHeader: false, trustProxy: false },
    handler(req: Request, _res: Response, next: NextFunction) {
      next(tooMany(limit, windowMs, req.rateLimit?.resetTime));
    },
  });
}

/**
 * Inserts the per-principal limit into express-openapi-validator's chain right after its security
 * step: authenticated, but before the request is validated or served.
 */
export function withPrincipalLimit(validator: RequestHandler[], limiter: RequestHandler): RequestHandler[] {
  const at = validator.findIndex((mw) => mw.name === 'securityMiddleware');
  if (at < 0) throw new Error('express-openapi-validator has no securityMiddleware: cannot place the rate limit');
  return [...validator.slice(0, at + 1), limiter, ...validator.slice(at + 1)];
}

/**
 * Per client address, only refused credentials count: a made-up token has no principal, so
 * guessing keys is bounded here. The budget is checked before authentication (an address over it
 * is refused without a lookup), and a request counts only once its 401 is actually written: an
 * accepted request, or one its client aborted, never does. Valid keys from other addresses are
 * never affected.
 */
export function refusedCredentialsLimit({
  limit = REFUSED_LIMIT.limit,
  windowMs = REFUSED_LIMIT.windowMs,
  budgetHeaders = false,
  store,
}: RateLimitOptions): RequestHandler {
  void store.init?.({ windowMs } as never);
  return async function limitRefusedCredentials(req, res, next) {
    const key = refusalKey(req.ip);
    const { hits, reset } = await refusals(store, key, windowMs);
    if (hits >= limit) {
      if (budgetHeaders) setBudget(res, limit, 0, reset);
      next(tooMany(limit, windowMs, reset));
      return;
    }
    // Until an authenticated request replaces them with its principal's budget (samples).
    if (budgetHeaders) setBudget(res, limit, limit - hits, reset);
    const writeHead = res.writeHead;
    res.writeHead = function countRefusal(this: Response, ...args: Parameters<Response['writeHead']>) {
      const status = typeof args[0] === 'number' ? args[0] : res.statusCode;
      if (status === 401) {
        if (budgetHeaders) setBudget(res, limit, Math.max(0, limit - hits - 1), reset);
        Promise.resolve(store.increment(key)).catch(() => {});
      }
      return writeHead.apply(this, args);
    } as Response['writeHead'];
    next();
  };
}

export const refusalKey = (ip: string | undefined): string => `ip:${ip ?? 'unknown'}`;

/** The refused credentials an address has spent in the current window. */
export async function refusals(store: Store, key: string, windowMs: number): Promise<{ hits: number; reset: Date }> {
  const info = await store.get?.(key);
  // rate-limit-redis reports a missing key as NaN hits that expired already.
  const fresh = info && Number.isFinite(info.totalHits) && (info.resetTime?.getTime() ?? 0) > Date.now();
  return {
    hits: fresh ? info.totalHits : 0,
    reset: fresh && info.resetTime ? info.resetTime : new Date(Date.now() + windowMs),
  };
}

export function setBudget(res: ServerResponse, limit: number, remaining: number, reset: Date): void {
  if (res.headersSent) return;
  res.setHeader('X-RateLimit-Limit', String(limit));
  res.setHeader('X-RateLimit-Remaining', String(Math.max(0, remaining)));
  res.setHeader('X-RateLimit-Reset', String(Math.ceil(reset.getTime() / 1000)));
}

/** The API's 429: the body's limit and window are those of the limiter that refused. */
function tooMany(limit: number, windowMs: number, reset: Date | undefined) {
  const seconds = Math.max(1, Math.ceil(((reset?.getTime() ?? Date.now() + windowMs) - Date.now()) / 1000));
  return problem(
    'rate_limited',
    `Rate limit exceeded. Retry after ${seconds} seconds.`,
    { retry_after: seconds, limit, window: `${Math.round(windowMs / 1000)}s` },
    { 'Retry-After': String(seconds) },
  );
}
