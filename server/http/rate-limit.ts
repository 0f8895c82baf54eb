import { createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import { type RedisReply, RedisStore } from 'rate-limit-redis';
import { bearerToken } from './bearer.ts';
import { problem } from './problems.ts';

export interface RateLimitOptions {
  /** Requests allowed per window and key. */
  limit?: number;
  windowMs?: number;
  /** Send X-RateLimit-Limit/Remaining/Reset on every response (samples' contract). */
  budgetHeaders?: boolean;
  /** Shared counters for several processes; in-memory when absent. */
  redis?: Redis | undefined;
  /** Key prefix in Redis: one per API, plus one per test file. */
  prefix?: string;
}

/** The bucket of a request: its bearer credential (hashed: never keep a secret in a key), else its address. */
function bucketOf(req: Request): string {
  // The credential as auth reads it (scheme in any case), so `bearer` vs `Bearer` is one bucket.
  const token = bearerToken(req);
  if (token) return `k:${createHash('sha256').update(token).digest('hex').slice(0, 32)}`;
  return `ip:${req.ip ?? 'unknown'}`;
}

function redisStore(redis: Redis, prefix: string): Store {
  return new RedisStore({
    prefix,
    sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<RedisReply>,
  });
}

/** Per-key rate limit; a refusal becomes the API's own 429 with Retry-After. */
export function apiRateLimit({
  limit = 120,
  windowMs = 60_000,
  budgetHeaders = false,
  redis,
  prefix = 'rl:',
}: RateLimitOptions = {}): RequestHandler {
  return rateLimit({
    limit,
    windowMs,
    legacyHeaders: budgetHeaders,
    standardHeaders: false,
    keyGenerator: bucketOf,
    ...(redis ? { store: redisStore(redis, prefix) } : {}),
    ...refusal(limit, windowMs),
  });
}

/**
 * Per client address, only refused credentials count: every made-up token has a bucket of its
 * own above, so guessing keys is bounded here instead. A client over it gets the API's 429.
 */
export function failedAuthLimit({
  limit = 600,
  windowMs = 60_000,
  redis,
  prefix = 'rl:auth:',
}: Omit<RateLimitOptions, 'budgetHeaders'> = {}): RequestHandler {
  return rateLimit({
    limit,
    windowMs,
    legacyHeaders: false,
    standardHeaders: false,
    keyGenerator: (req) => `ip:${req.ip ?? 'unknown'}`,
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req, res) => res.statusCode !== 401,
    // Kept apart from req.rateLimit, which the per-key budget (and samples' headers) owns.
    requestPropertyName: 'authRateLimit',
    ...(redis ? { store: redisStore(redis, prefix) } : {}),
    ...refusal(limit, windowMs, 'authRateLimit'),
  });
}

/** What both limiters share: fail open without their store, and refuse in the API's own 429. */
function refusal(limit: number, windowMs: number, property = 'rateLimit') {
  return {
    // Counters unreachable: serve rather than refuse everyone; the failure is logged by the store's client.
    passOnStoreError: true,
    validate: { keyGeneratorIpFallback: false },
    handler(req: Request, _res: unknown, next: (err: unknown) => void) {
      const reset = (req as unknown as Record<string, { resetTime?: Date } | undefined>)[property]?.resetTime;
      const seconds = Math.max(1, Math.ceil(((reset?.getTime() ?? Date.now() + windowMs) - Date.now()) / 1000));
      next(
        problem(
          'rate_limited',
          `Rate limit exceeded. Retry after ${seconds} seconds.`,
          { retry_after: seconds, limit, window: `${Math.round(windowMs / 1000)}s` },
          { 'Retry-After': String(seconds) },
        ),
      );
    },
  } as const;
}
