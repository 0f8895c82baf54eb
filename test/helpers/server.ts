import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import pino from 'pino';
import { registry } from '../../server/apis/registry.ts';
import { type AppOptions, createApp } from '../../server/app.ts';
import type { DemoTenant } from '../../server/core/types.ts';
import { createHttpServer } from '../../server/http/http-server.ts';
import { openTestStore, type TestStore } from './store.ts';

export interface TestServer {
  url: string;
  store: TestStore;
  demo: Record<string, DemoTenant[]>;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  /**
   * Another app on this server's store and demo data, with options of its own (its own caches,
   * counters and limits; the APIs default to this server's). Costs a listener, not a store: a
   * test that needs other settings starts one of these instead of a second server. Its close()
   * stops only its own listener.
   */
  sibling(options?: Partial<AppOptions>): Promise<TestServer>;
  /** Resolves once every final body this app began to store has been written (they are not awaited). */
  settled(): Promise<void>;
  /** Fills this app's memory with stored final bodies, as a starting server does; how many. */
  preload(maxBytes?: number): Promise<number>;
  close(): Promise<void>;
}

/**
 * The server over HTTP on a free port, in-process, with the demo data of the APIs it serves
 * (options.apis, else all five): a file about one API seeds and serves only that one.
 */
export async function startTestServer(options: Partial<AppOptions> = {}): Promise<TestServer> {
  const store = await openTestStore();
  const demo: Record<string, DemoTenant[]> = {};
  for (const api of options.apis ?? registry) demo[api.name] = await api.seedDemo(store.db);
  return serve(store, demo, options, () => store.close());
}

async function serve(
  store: TestStore,
  demo: Record<string, DemoTenant[]>,
  options: Partial<AppOptions>,
  release: () => Promise<void>,
): Promise<TestServer> {
  const app = createApp({ logger: pino({ level: 'silent' }), jwtSecret: TEST_JWT_SECRET, ...options, db: store.db });
  // The HTTP layer `npm start` listens with (its header limit and its answers to unparsable requests).
  const server = createHttpServer(app).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    store,
    demo,
    get: (path, headers = {}) => fetch(url + path, { headers }),
    settled: () => (app.locals.finalBodiesSettled as () => Promise<void>)(),
    preload: (maxBytes) => (app.locals.preloadFinalBodies as (maxBytes?: number) => Promise<number>)(maxBytes),
    sibling: (more = {}) =>
      serve(store, demo, { ...(options.apis ? { apis: options.apis } : {}), ...more }, async () => {}),
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await release();
    },
  };
}

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

/** A Redis client with a key prefix of its own, when REDIS_URL is set. */
export function testRedis(): { redis: Redis; prefix: string } | undefined {
  const url = process.env.REDIS_URL;
  if (!url) return undefined;
  return { redis: new Redis(url, { maxRetriesPerRequest: 1 }), prefix: `test:${process.pid}:${Date.now()}:` };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
