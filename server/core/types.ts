import type { NextFunction, Request, Response } from 'express';
import type { ApiName } from '../../generated/apis.ts';
import type { FinalBodyCache, PrincipalCache } from './caches.ts';
import type { Db } from './db.ts';
import type { Problem, ProblemKind } from './problems.ts';

export type { ApiName };

/** Who is calling, once a security handler has accepted the credentials. */
export interface Principal {
  api: ApiName;
  /** Organization, workspace, tenant or project every read of this request is scoped to. */
  tenantId: string;
  /** The user or key behind the request (never the secret itself). */
  subject: string;
  /** Workspaces the subject may pick with X-Workspace-Id (workflows only). */
  workspaces?: string[];
}

export interface AppDeps {
  db: Db;
  /** Accepted credentials by their hash, for a few seconds (server/cache/principals.ts). */
  principals: PrincipalCache;
  /** 200 bodies of runs in a terminal status (server/cache/final-bodies.ts). */
  finalBodies: FinalBodyCache;
  config: {
    jwtSecret?: string | undefined;
    jwksFile?: string | undefined;
    jwtIssuer?: string | undefined;
    jwtAudience?: string | undefined;
  };
}

/** What a handler gets: the validated request, the caller and the store. */
export interface HandlerContext {
  req: Request;
  res: Response;
  db: Db;
  principal: Principal;
  /** Path parameters, validated and coerced to their schema types. */
  params: Record<string, unknown>;
}

export type Handler = (ctx: HandlerContext) => Promise<void> | void;

/** How EOV calls a security handler: true accepts, throwing refuses with that message. */
export type SecurityHandler = (req: Request) => Promise<boolean>;

export interface RenderedError {
  status: number;
  body: unknown;
}

export interface DemoTenant {
  tenant: string;
  apiKey: string;
  headers?: Record<string, string>;
  runs: Array<{ id: string | number; status: string; path: string }>;
}

/** One API: its contract, its handlers by operationId, its auth and its error shape. */
export interface ApiModule {
  name: ApiName;
  title: string;
  /** Every path of the API starts with this (its routes are mounted there). */
  basePath: string;
  handlers: Record<string, Handler>;
  securityHandlers(deps: AppDeps): Record<string, SecurityHandler>;
  /** This API's wording for failures that carry no message of their own (e.g. a missing header). */
  messages?: Partial<Record<ProblemKind, string>>;
  /** Renders a problem in this API's declared error body (and its status for that problem). */
  renderError(problem: Problem, req: Request): RenderedError;
  /** Writes this API's deterministic demo data (idempotent) and says what it wrote. */
  seedDemo(db: Db): Promise<DemoTenant[]>;
  /** The statuses in which a run can no longer change (its seed operation's body is kept). */
  finalStatuses: readonly string[];
  /** URLs of the seed operation on up to `limit` terminal runs of `tenant`, newest first (to store their bodies). */
  finalRunPaths(db: Db, tenant: string, limit: number): Promise<string[]>;
  /**
   * Operations whose 200 body, once its run is terminal (the handler calls markFinal), is kept as
   * the validated bytes and answered from memory with an ETag. `envelope` is for a body whose run
   * part is immutable but whose rest is per request (workflows' meta).
   */
  finalRuns?: Record<string, FinalRunRule>;
  /** Middleware between validation and the handler (e.g. workflows' X-Workspace-Id). */
  beforeHandler?: (req: Request, res: Response, next: NextFunction) => void | Promise<void>;
}

export interface FinalRunRule {
  envelope?: {
    /** The immutable part of the body. */
    part(body: unknown): unknown;
    /** The whole body around the cached part's JSON, for this request. */
    wrap(partJson: string, req: Request): string;
  };
}
