import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from 'cors';
import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { registry as defaultApis } from './apis/registry.ts';
import { batched } from './cache/batch.ts';
import { finalBodyVersion } from './cache/body-version.ts';
import { createFinalBodyCache, type FinalBodyBacking } from './cache/final-bodies.ts';
import { createPrincipalCache, type PrincipalCacheOptions } from './cache/principals.ts';
import { loadDocument } from './core/documents.ts';
import { problem } from './core/problems.ts';
import type { ApiModule, AppDeps, Handler } from './core/types.ts';
import { canonicalIntegers } from './http/canonical-numbers.ts';
import { type Counters, createCounters } from './http/counters.ts';
import { dispatch } from './http/dispatch.ts';
import { staticDocs } from './http/docs.ts';
import { errorResponder, lastResortResponder } from './http/error-responder.ts';
import { rejectNonFiniteNumbers } from './http/finite-numbers.ts';
import { type Desk, finalRoutes, frontDoor } from './http/front-door.ts';
import { healthRoutes } from './http/health.ts';
import { createLogger, requestLogging } from './http/logging.ts';
import { createMetrics, type Metrics } from './http/metrics.ts';
import {
  PRINCIPAL_LIMIT,
  principalRateLimit,
  REFUSED_LIMIT,
  refusedCredentialsLimit,
  withPrincipalLimit,
} from './http/rate-limit.ts';
import { authenticatedCaching, docsSecurityHeaders, headAsGet, securityHeaders } from './http/security-headers.ts';
import { skipUnusedSpecSchema } from './http/spec-schema.ts';
import type { Db } from './store/db.ts';
import {
  type RecentCursor,
  readFinalBodies,
  readRecentFinalBodies,
  type StoredBody,
  writeFinalBodies,
} from './store/final-bodies.ts';

export interface AppOptions {
  db: Db;
  /** Defaults to all five APIs. */
  apis?: ApiModule[];
  rateLimit?: { limit?: number; windowMs?: number };
  /**
   * Express's `trust proxy` (TRUST_PROXY): false (default) uses the socket's address; a hop count
   * or the proxies' addresses/CIDRs take the client from X-Forwarded-For.
   */
  trustProxy?: boolean | number | string;
  /** Refused credentials allowed per client address and window (default 600 per 60 s). */
  failedAuthLimit?: { limit?: number; windowMs?: number };
  /** Rate-limit counters shared by every process on this Redis; in memory when absent. */
  redis?: Redis | undefined;
  /** Prefix of every Redis key (one per deployment, or per test file). */
  redisPrefix?: string;
  /**
   * Validate every response body against the spec (default true). Only the benchmark's
   * comparison run turns this off.
   */
  validateResponses?: boolean;
  /**
   * Browser origins allowed to call the APIs directly (CORS), e.g. a frontend's dev server. Empty:
   * no CORS headers, and preflights are refused like any undeclared method.
   */
  corsOrigins?: string[];
  /** /readyz answers within this many ms, whatever the store does (READY_TIMEOUT_MS, default 800). */
  readyTimeoutMs?: number;
  /** Serve Prometheus metrics at /metrics. */
  metrics?: boolean;
  logger?: Logger;
  logLevel?: string;
  jwtSecret?: string | undefined;
  jwksFile?: string | undefined;
  /** When set, workflows' JWTs must carry this `iss` / `aud`. */
  jwtIssuer?: string | undefined;
  jwtAudience?: string | undefined;
  /** Folder of the built reference docs (npm run docs), served at /docs. */
  docsDir?: string | undefined;
  /** Accepted credentials are trusted this long without a query (default 5 s; 0 turns it off). */
  principalCache?: PrincipalCacheOptions;
  /** Bytes of terminal-run bodies kept in memory (default 64 MiB; 0 turns the cache off). */
  finalBodyCacheBytes?: number;
  /**
   * Keep terminal-run bodies in the store too (default true), so a restarted or second process
   * answers them with one primary-key read. Off with the memory cache, and when handlers are replaced.
   */
  storedFinalBodies?: boolean;
  /** Replace handlers by operationId (tests plant faulty handlers this way). */
  handlerOverrides?: Record<string, Handler>;
}

function apiApp(
  api: ApiModule,
  deps: AppDeps,
  options: AppOptions,
  counters: Counters,
): { sub: Express; desk: Desk | undefined } {
  const sub = express();
  sub.disable('x-powered-by');
  // ETags only where a 304 is declared (final-runs.ts makes them): none on lists.
  sub.set('etag', false);
  // Called as a function rather than mounted, the sub-app inherits no settings: req.ip needs this.
  sub.set('trust proxy', options.trustProxy ?? false);
  sub.use(headAsGet, authenticatedCaching);
  const prefix = options.redisPrefix ?? 'run-api-contracts:';
  const budgetHeaders = api.name === 'samples';
  const refusedBudget = {
    ...REFUSED_LIMIT,
    ...options.failedAuthLimit,
    store: counters.store(`${prefix}rl-auth:${api.name}:`),
  };
  const principalBudget = {
    ...PRINCIPAL_LIMIT,
    ...options.rateLimit,
    store: counters.store(`${prefix}rl:${api.name}:`),
  };
  sub.use(refusedCredentialsLimit({ ...refusedBudget, budgetHeaders }));
  const document = loadDocument(api.name);
  const validator = OpenApiValidator.middleware({
    apiSpec: structuredClone(document) as never,
    validateRequests: { allowUnknownQueryParameters: false, coerceTypes: true },
    validateResponses: options.validateResponses === false ? false : { removeAdditional: false },
    validateSecurity: { handlers: api.securityHandlers(deps) },
    validateFormats: true,
    ignoreUndocumented: false,
    // Checking each document against the OpenAPI 3.1 schema compiles that schema once per API:
    // most of the validator's start-up CPU. The bundles are checked so once, in a test
    // (test/spec/validator-accepts-documents.test.ts), and by `npm run lint:spec`.
    validateApiSpec: false,
  }) as unknown as RequestHandler[];
  sub.use(withPrincipalLimit(validator, principalRateLimit({ ...principalBudget, budgetHeaders })));
  sub.use(canonicalIntegers(document));
  sub.use(rejectNonFiniteNumbers);
  // No operation takes a body; reading one (after auth and validation) only enforces the size
  // limit: JSON is parsed (malformed is bad input), any other type is read and dropped.
  sub.use(express.json({ limit: '64kb' }), express.raw({ type: () => true, limit: '64kb' }));
  if (api.beforeHandler) sub.use(api.beforeHandler);
  sub.use(dispatch({ ...api.handlers, ...options.handlerOverrides }, deps, api.finalRuns, api.name));
  sub.use(errorResponder(api));
  sub.use(lastResortResponder(api));
  const desk = api.finalRuns && {
    api: api.name,
    basePath: api.basePath,
    finalRuns: api.finalRuns,
    finalRoutes: finalRoutes(document, api.finalRuns),
    principalBudget,
    refusedBudget,
    budgetHeaders,
  };
  return { sub, desk };
}

/** The version an app of `apis` stores its final bodies under (and the only one it reads). */
export const storedBodyVersion = (apis: readonly ApiModule[] = defaultApis): string =>
  finalBodyVersion(apis.map((api) => loadDocument(api.name)));

/** Builds the server: five APIs at their native paths, health, metrics and docs. Does not listen. */
export function createApp(options: AppOptions): Express {
  skipUnusedSpecSchema();
  const logger = createLogger({
    level: options.logLevel ?? 'info',
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const finalBodyBytes = options.finalBodyCacheBytes ?? 64 * 1024 * 1024;
  const apis = options.apis ?? defaultApis;
  // Planted handlers must run: a body an earlier app stored would answer in their place.
  const backing =
    finalBodyBytes > 0 && options.storedFinalBodies !== false && !options.handlerOverrides
      ? storedFinalBodies(options.db, storedBodyVersion(apis))
      : undefined;
  const deps: AppDeps = {
    db: options.db,
    principals: createPrincipalCache(options.principalCache),
    finalBodies:
      finalBodyBytes > 0
        ? createFinalBodyCache({
            maxBytes: finalBodyBytes,
            backing,
            onBackingError: (err) => logger.warn({ err }, 'a final body could not be stored'),
          })
        : { get: () => undefined, set() {} },
    config: {
      jwtSecret: options.jwtSecret,
      jwksFile: options.jwksFile,
      jwtIssuer: options.jwtIssuer,
      jwtAudience: options.jwtAudience,
    },
  };
  const app = express();
  // Who renders bodies ahead of their first read (store-final-bodies.ts) waits on their writes here.
  app.locals.finalBodiesSettled = async () => deps.finalBodies.settled?.();
  // A starting server (main.ts) fills memory with the stored bodies, so a first read after a
  // restart is answered like a repeated one; resolves with how many were loaded.
  app.locals.preloadFinalBodies = async (maxBytes?: number): Promise<number> =>
    (await deps.finalBodies.preload?.(maxBytes)) ?? 0;
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy ?? false);
  const counters = createCounters({ redis: options.redis, logger });
  const logRequest = requestLogging(logger);
  app.use(logRequest);
  app.use(securityHeaders);
  const metrics = options.metrics ? createMetrics() : undefined;
  if (metrics) {
    options.db.onQuery = metrics.observeQuery;
    app.use(metrics.observe);
    app.get('/metrics', async (_req, res) => {
      res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    });
  }
  if (options.corsOrigins?.length) {
    // Answered before the APIs: a preflight is not an operation of any contract.
    app.use(
      cors({
        origin: options.corsOrigins.includes('*') ? true : options.corsOrigins,
        methods: ['GET'],
        allowedHeaders: ['Authorization', 'X-Workspace-Id', 'X-Request-Id', 'Prefer'],
        exposedHeaders: [
          'X-Request-Id',
          'Retry-After',
          'X-RateLimit-Limit',
          'X-RateLimit-Remaining',
          'X-RateLimit-Reset',
        ],
        maxAge: 600,
      }),
    );
  }
  app.use(
    healthRoutes(options.db, { counters, ...(options.readyTimeoutMs ? { timeoutMs: options.readyTimeoutMs } : {}) }),
  );
  app.use('/docs', docsSecurityHeaders);
  app.use(staticDocs(options.docsDir));
  const desks: Desk[] = [];
  for (const api of apis) {
    const { sub, desk } = apiApp(api, deps, options, counters);
    if (desk) desks.push(desk);
    const base = api.basePath;
    app.use(function routeToApi(req: Request, res: Response, next: NextFunction) {
      if (req.path !== base && !req.path.startsWith(`${base}/`)) return next();
      req.apiName = api.name;
      sub(req, res, next);
    });
  }
  app.use((req: Request, _res: Response, next: NextFunction) => {
    next(problem('not_found', `No API is served at ${req.path}.`));
  });
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = (err as { status?: number }).status === 404 ? 404 : 500;
    if (status === 500) req.log?.error({ err }, 'unexpected error outside the APIs');
    res.status(status).json({ error: status === 404 ? 'not_found' : 'internal_error' });
  });
  return withFrontDoor(app, desks, deps, logRequest, metrics);
}

/**
 * Puts the front door (http/front-door.ts) before Express: app.handle is what app(req, res),
 * app.listen and every http.Server given the app call, so no caller can miss it.
 */
function withFrontDoor(
  app: Express,
  desks: Desk[],
  deps: AppDeps,
  logRequest: RequestHandler,
  metrics: Metrics | undefined,
): Express {
  if (desks.length === 0) return app;
  const enter = frontDoor({
    desks,
    deps,
    trust: app.get('trust proxy fn'),
    observe(req, res, api, operationId) {
      const r = req as Request;
      r.apiName = api as Request['apiName'];
      r.openapi = { schema: { operationId } } as Request['openapi'];
      logRequest(r, res as Response, () => {});
      metrics?.observe(r, res as Response, () => {});
    },
  });
  const handle = (app as unknown as { handle: Handle }).handle.bind(app);
  (app as unknown as { handle: Handle }).handle = function frontDoorFirst(req, res, done) {
    if (!enter(req, res, () => handle(req, res, done))) handle(req, res, done);
  };
  return app;
}

type Handle = (req: IncomingMessage, res: ServerResponse, done?: (err?: unknown) => void) => void;

/**
 * The store's final_bodies table as the cache's second tier, rows of this `version` only. Reads
 * and writes made while the previous statement runs go together in the next (cache/batch.ts).
 */
function storedFinalBodies(db: Db, version: string): FinalBodyBacking {
  const read = batched<string, undefined, StoredBody>((items) => readFinalBodies(db, [...items.keys()], version));
  const write = batched<string, StoredBody, never>(async (items) => {
    await writeFinalBodies(db, items, version);
    return undefined;
  });
  return {
    async read(key) {
      const row = await read(key, undefined);
      return row && { bytes: Buffer.from(row.body), etag: row.etag };
    },
    write: async (key, body) => void (await write(key, { etag: body.etag, body: body.bytes.toString() })),
    async recent(limit, after) {
      const rows = await readRecentFinalBodies(db, version, limit, after as RecentCursor | undefined);
      return {
        bodies: rows.map((row) => ({ key: row.key, body: { bytes: Buffer.from(row.body), etag: row.etag } })),
        next: rows.at(-1)?.cursor,
      };
    },
  };
}
