import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemoryStore } from 'express-rate-limit';
import proxyAddr from 'proxy-addr';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createFinalBodyCache, etagOf } from '../../server/cache/final-bodies.ts';
import { createPrincipalCache } from '../../server/cache/principals.ts';
import type { AppDeps, Principal } from '../../server/core/types.ts';
import {
  answeredKey,
  clientKey,
  finalKey,
  finalKeyOf,
  type KnownAnswer,
  requestIdentity,
} from '../../server/http/final-runs.ts';
import { type Budget, type Desk, finalRoutes, frontDoor } from '../../server/http/front-door.ts';
import { principalKey, refusalKey } from '../../server/http/rate-limit.ts';
import { rawRequest } from '../helpers/http.ts';

/**
 * The front door on a bare node server: what it answers from memory, with which headers, and
 * what it hands to Express (here `fallBack`, which answers 299 so the tests can tell).
 */
const PATH = '/front/runs/7e1e0000-0000-4000-8000-000000010001/summary';
const BODY = '{"run_id":"7e1e0000-0000-4000-8000-000000010001"}';
const KEY = { authorization: 'Bearer tlm_demo_acme_4f7c2a9e1b' };
const REPLAYED: KnownAnswer['headers'] = [
  ['X-Content-Type-Options', 'nosniff'],
  ['Cache-Control', 'private, max-age=0'],
  ['Vary', 'Authorization, X-Workspace-Id'],
];
const principal: Principal = { api: 'telemetry', tenantId: 'org_acme', subject: 'key-1' };

const budget = (limit: number): Budget => {
  const store = new MemoryStore();
  store.init({ windowMs: 60_000 } as never);
  return { store, limit, windowMs: 60_000 };
};

let server: Server;
let url = '';
let deps: AppDeps;
let desk: Desk;
let fellBack = 0;
let observed = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    const enter = frontDoor({
      desks: [desk],
      deps,
      trust: proxyAddr.compile([]),
      observe: (_req, r) => {
        observed += 1;
        r.setHeader('X-Request-Id', 'observed');
      },
    });
    const fallBack = () => {
      fellBack += 1;
      res.statusCode = 299;
      res.end();
    };
    if (!enter(req, res, fallBack)) {
      res.statusCode = 298;
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

/** Fills the caches as a full-path answer to a request with these headers would. */
function answered(headers: Record<string, string>) {
  const rawHeaders = Object.entries({ host: 'x', ...headers }).flat();
  const req = { method: 'GET', url: PATH, headers, rawHeaders } as never;
  const identity = requestIdentity(req) ?? '';
  const key = finalKey('telemetryGetRunSummary', { principal, originalUrl: PATH } as never);
  deps.finalBodies.set(key, { bytes: Buffer.from(BODY), etag: etagOf(BODY) });
  deps.principals.put(answeredKey('telemetry', identity), {
    operationId: 'telemetryGetRunSummary',
    key,
    principal,
    headers: REPLAYED,
  });
  return key;
}

const get = (headers: Record<string, string>, method = 'GET') => rawRequest(url + PATH, { method, headers });

beforeEach(() => {
  deps = {
    db: undefined as never,
    principals: createPrincipalCache(),
    finalBodies: createFinalBodyCache(),
    config: {},
  };
  desk = {
    api: 'telemetry',
    basePath: '/front',
    finalRuns: { telemetryGetRunSummary: {} },
    finalRoutes: [],
    principalBudget: budget(3),
    refusedBudget: budget(2),
    budgetHeaders: true,
  };
  fellBack = 0;
  observed = 0;
});

describe('the front door answers a request it has seen answered', () => {
  test('with the cached bytes, the strong ETag, the replayed headers and its own budget headers', async () => {
    answered(KEY);
    const res = await get(KEY);
    expect(res.status).toBe(200);
    expect(res.body).toBe(BODY);
    expect(res.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(BODY)),
      etag: etagOf(BODY),
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, max-age=0',
      vary: 'Authorization, X-Workspace-Id',
      'x-request-id': 'observed',
      'x-ratelimit-limit': '3',
      'x-ratelimit-remaining': '2',
    });
    expect(Number(res.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
    expect([fellBack, observed]).toEqual([0, 1]);
  });

  test('If-None-Match with its ETag: a 304 with no body; HEAD: the headers of the GET, no body', async () => {
    answered(KEY);
    const notModified = await get({ ...KEY, 'if-none-match': etagOf(BODY) });
    expect(notModified.status).toBe(304);
    expect(notModified.body).toBe('');
    expect(notModified.headers['content-type']).toBeUndefined();
    const head = await get(KEY, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(BODY)));
    expect(fellBack).toBe(0);
  });
});

describe('everything else is left to Express', () => {
  test('a request that differs in any header that is not passive', async () => {
    answered(KEY);
    expect((await get({ ...KEY, 'x-other': '1' })).status).toBe(298);
    expect((await get({ authorization: 'Bearer another' })).status).toBe(298);
  });

  test('a request whose body left the cache, or that was never answered', async () => {
    const key = answered(KEY);
    deps.finalBodies = createFinalBodyCache();
    expect((await get(KEY)).status).toBe(298);
    deps.finalBodies.set(key, { bytes: Buffer.from(BODY), etag: etagOf(BODY) });
    deps.principals = createPrincipalCache();
    expect((await get(KEY)).status).toBe(298);
  });

  test('past the principal budget: handed over uncounted, so Express counts it once and refuses it', async () => {
    answered(KEY);
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await get(KEY)).status);
    expect(statuses).toEqual([200, 200, 200, 299, 299]);
    const spent = await desk.principalBudget.store.get?.(principalKey(principal, {}));
    expect(spent?.totalHits).toBe(3);
  });

  test('from an address past its refused-credentials budget, even with a good key', async () => {
    answered(KEY);
    for (let i = 0; i < 2; i++) await desk.refusedBudget.store.increment(refusalKey('127.0.0.1'));
    expect((await get(KEY)).status).toBe(299);
    expect(observed).toBe(0);
  });

  test('a method other than GET or HEAD', async () => {
    answered(KEY);
    expect((await get(KEY, 'POST')).status).toBe(298);
    expect((await get(KEY, 'DELETE')).status).toBe(298);
  });
});

describe('a known client on another URL of the operation: a stored body answers it', () => {
  const OTHER = '/front/runs/7e1e0000-0000-4000-8000-000000010002/summary';
  const STORED = '{"run_id":"7e1e0000-0000-4000-8000-000000010002"}';
  /** The store's final_bodies, as the cache's backing tier sees it. */
  let stored: Map<string, string>;
  let reads: string[];

  beforeEach(() => {
    stored = new Map();
    reads = [];
    deps.finalBodies = createFinalBodyCache({
      backing: {
        async read(key) {
          reads.push(key);
          const body = stored.get(key);
          return body === undefined ? undefined : { bytes: Buffer.from(body), etag: etagOf(body) };
        },
        async write() {},
      },
    });
    desk.finalRoutes = finalRoutes(
      { paths: { '/front/runs/{id}/summary': { get: { operationId: 'telemetryGetRunSummary' } } } },
      desk.finalRuns,
    );
  });

  /** What dispatch keeps when it answers the client on PATH: its headers, for this operation. */
  function knownClient(headers: Record<string, string>) {
    const rawHeaders = Object.entries({ host: 'x', ...headers }).flat();
    const identity = requestIdentity({ method: 'GET', url: PATH, headers, rawHeaders } as never, { withUrl: false });
    deps.principals.put(clientKey('telemetry', 'telemetryGetRunSummary', identity ?? ''), {
      operationId: 'telemetryGetRunSummary',
      key: finalKeyOf('telemetryGetRunSummary', principal.tenantId, PATH),
      principal,
      headers: REPLAYED,
    });
  }
  const getOther = (headers: Record<string, string>, path = OTHER) => rawRequest(url + path, { headers });

  test('with the stored bytes, their ETag, the replayed headers and the budget spent, after one read', async () => {
    knownClient(KEY);
    stored.set(finalKeyOf('telemetryGetRunSummary', 'org_acme', OTHER), STORED);
    const res = await getOther(KEY);
    expect(res.status).toBe(200);
    expect(res.body).toBe(STORED);
    expect(res.headers).toMatchObject({
      etag: etagOf(STORED),
      'cache-control': 'private, max-age=0',
      'x-ratelimit-remaining': '2',
    });
    expect(reads).toEqual([finalKeyOf('telemetryGetRunSummary', 'org_acme', OTHER)]);
    // Now in memory: the next read asks the store nothing.
    expect((await getOther(KEY)).body).toBe(STORED);
    expect(reads).toHaveLength(1);
    expect(fellBack).toBe(0);
  });

  test('nothing stored for the URL: Express answers, without a second store read', async () => {
    knownClient(KEY);
    expect((await getOther(KEY)).status).toBe(299);
    expect(reads).toHaveLength(1);
    // Uncounted: Express counts it itself.
    expect((await desk.principalBudget.store.get?.(principalKey(principal, {})))?.totalHits ?? 0).toBe(0);
  });

  test('another credential or header, another operation’s URL, or an unknown client: Express, no store read', async () => {
    stored.set(finalKeyOf('telemetryGetRunSummary', 'org_acme', OTHER), STORED);
    expect((await getOther(KEY)).status).toBe(298);
    knownClient(KEY);
    expect((await getOther({ authorization: 'Bearer another' })).status).toBe(298);
    expect((await getOther({ ...KEY, 'x-other': '1' })).status).toBe(298);
    expect((await getOther(KEY, '/front/runs?limit=2')).status).toBe(298);
    expect((await getOther(KEY, `${OTHER}/more`)).status).toBe(298);
    expect(reads).toEqual([]);
  });
});
