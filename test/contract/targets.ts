/**
 * The targets the contract suite runs against: the in-process reference server (with sibling
 * deployments on the same store where 429, 500 and 503 are planted) and the Prism mock.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { startMock } from '../../mocks/prism.ts';
import { API_NAMES, closeAgents, loadApiSpec, type Target, type TargetTenant } from '../../scripts/contract/harness.ts';
import { registry } from '../../server/apis/registry.ts';
import { type AppOptions, createApp } from '../../server/app.ts';
import { StoreUnavailable } from '../../server/core/errors.ts';
import type { ApiModule, Handler } from '../../server/core/types.ts';
import { createHttpServer } from '../../server/http/http-server.ts';
import type { Db } from '../../server/store/db.ts';
import { startTestServer, TEST_JWT_SECRET, type TestServer } from '../helpers/server.ts';

/** The fuzzer sends thousands of requests per key: the default 120/min would answer 429. */
export const NO_RATE_LIMIT = { limit: 1e9 };

async function listen(app: ReturnType<typeof createApp>): Promise<{ url: string; server: Server }> {
  const server = createHttpServer(app).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** A store that is gone: every call fails as a closed PGlite's does past the store's boundary, so the API answers 503. */
function unavailableDb(db: Db): Db {
  const gone = () => Promise.reject(new StoreUnavailable(new Error('PGlite is closed')));
  return { driver: db.driver, query: gone, exec: gone, transaction: gone, close: async () => {} };
}

/** Handlers that throw for every operation: the API must answer its declared 500, in its own shape. */
export function throwingHandlers(apis: ApiModule[] = registry): Record<string, Handler> {
  const ids = API_NAMES.flatMap((api) => loadApiSpec(api).operations.map((o) => o.operationId));
  const known = new Set(apis.flatMap((a) => Object.keys(a.handlers)));
  return Object.fromEntries(
    ids
      .filter((id) => known.has(id))
      .map((id) => [
        id,
        () => {
          throw new Error(`planted fault in ${id}`);
        },
      ]),
  );
}

export interface ServerTarget {
  server: TestServer;
  target: Target;
  close(): Promise<void>;
}

/**
 * The reference server with the demo dataset, and with `faults`, three siblings on the same store:
 * a rate limit of 2 (429), handlers that throw (500) and a store that is gone (503).
 */
export async function startServerTarget(
  options: { faults?: boolean; apis?: ApiModule[]; app?: Partial<AppOptions> } = {},
): Promise<ServerTarget> {
  const apis = options.apis ?? registry;
  const server = await startTestServer({ rateLimit: NO_RATE_LIMIT, apis, ...options.app });
  const siblings: Server[] = [];
  const faults: NonNullable<Target['faults']> = {};
  if (options.faults) {
    const common = { apis, logger: pino({ level: 'silent' }), jwtSecret: TEST_JWT_SECRET };
    const db = server.store.db;
    const rateLimited = await listen(createApp({ ...common, db, rateLimit: { limit: 2, windowMs: 60_000 } }));
    const internalError = await listen(
      createApp({ ...common, db, rateLimit: NO_RATE_LIMIT, handlerOverrides: throwingHandlers(apis) }),
    );
    const unavailable = await listen(createApp({ ...common, db: unavailableDb(db), rateLimit: NO_RATE_LIMIT }));
    siblings.push(rateLimited.server, internalError.server, unavailable.server);
    Object.assign(faults, {
      rateLimited: rateLimited.url,
      internalError: internalError.url,
      unavailable: unavailable.url,
    });
  }
  const target: Target = {
    name: 'server',
    url: server.url,
    tenants: server.demo as Record<string, TargetTenant[]>,
    mode: 'data',
    faults,
  };
  return {
    server,
    target,
    async close() {
      closeAgents();
      for (const s of siblings) {
        s.closeAllConnections();
        await new Promise((resolve) => s.close(resolve));
      }
      await server.close();
    },
  };
}

export interface MockTarget {
  target: Target;
  close(): Promise<void>;
}

/** Prism accepts any Bearer token, so one made-up key stands for every tenant. */
export const MOCK_TENANT: TargetTenant = { tenant: 'mock', apiKey: 'contract-mock-token', runs: [] };

export const MOCK_LIMITS: NonNullable<Target['limits']> = {
  credentials: 'Prism checks that a Bearer token is present, not whether it is valid',
  methodAllow: "Prism's router answers an undeclared method itself (405 as application/problem+json, no Allow)",
  emptyQuery:
    'Prism takes an empty optional query value (?limit=) for an absent one; OpenAPI (allowEmptyValue: false) refuses it',
};

/** The real Prism mock of all five APIs (mocks/prism.ts), with `tenants` (default: a made-up key). */
export async function startMockTarget(tenants?: Target['tenants']): Promise<MockTarget> {
  const mock = await startMock({});
  const target: Target = {
    name: 'mock',
    url: mock.url,
    tenants: tenants ?? Object.fromEntries(API_NAMES.map((api) => [api, [MOCK_TENANT]])),
    mode: 'prefer',
    limits: MOCK_LIMITS,
  };
  return {
    target,
    async close() {
      closeAgents();
      await mock.close();
    },
  };
}
