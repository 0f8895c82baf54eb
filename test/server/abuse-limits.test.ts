/**
 * Limits that lock out only the abuser: refused credentials per address (counted only when a 401
 * is sent, checked before auth), budgets per resolved principal, consistent samples headers.
 * With REDIS_URL set, the counters live in Redis (each server its own key prefix).
 */
import { request } from 'node:http';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { samplesApi } from '../../server/apis/samples/index.ts';
import { workflowsApi } from '../../server/apis/workflows/index.ts';
import type { Handler } from '../../server/core/types.ts';
import { insertKey } from '../../server/store/keys.ts';
import { rawRequest } from '../helpers/http.ts';
import { limitCounters } from '../helpers/limits.ts';
import { bearer, startTestServer, TEST_JWT_SECRET, type TestServer } from '../helpers/server.ts';
import { specValidator } from '../helpers/spec.ts';

const samples = specValidator('samples');
const open: TestServer[] = [];
const counters = limitCounters();
/** The file's one store and demo data; each test's limits get a sibling app on it. */
let base: TestServer;
beforeAll(async () => {
  base = await startTestServer({ apis: [samplesApi, workflowsApi] });
});
afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
  await base.close();
  await counters.close();
});

async function server(options: Parameters<typeof startTestServer>[0]) {
  const s = await base.sibling({ ...counters.options(), ...options });
  open.push(s);
  return s;
}

/** A samples summary handler that holds every request until released, counting who got in. */
function gate() {
  let release!: () => void;
  const released = new Promise<void>((r) => {
    release = r;
  });
  const state = { entered: 0, release, onEnter: () => {} };
  const handler: Handler = async ({ res }) => {
    state.entered++;
    state.onEnter();
    await released;
    res.json({ run_id: 101, status: 'completed', total: 0, passed: 0, failed: 0, skipped: 0 });
  };
  return { state, handler };
}

describe('refused credentials (1): only 401s that were sent count, checked before auth', () => {
  test('accepted requests in flight together never count, however many', async () => {
    const { state, handler } = gate();
    const s = await server({
      failedAuthLimit: { limit: 3, windowMs: 60_000 },
      handlerOverrides: { samplesGetRunSummary: handler },
      validateResponses: false,
    });
    const key = s.demo.samples?.[0]?.apiKey ?? '';
    const statuses: number[] = [];
    const all = Array.from({ length: 20 }, () =>
      s.get('/api/v1/runs/101/summary', bearer(key)).then((r) => {
        statuses.push(r.status);
        // Anything answered before all 20 got in was refused at the door: let the rest finish.
        state.release();
      }),
    );
    state.onEnter = () => {
      if (state.entered === 20) state.release();
    };
    await Promise.all(all);
    expect(statuses.filter((c) => c === 200)).toHaveLength(20);
  });

  test('accepted requests aborted by their client never count', async () => {
    const { state, handler } = gate();
    const s = await server({
      failedAuthLimit: { limit: 3, windowMs: 60_000 },
      handlerOverrides: { samplesGetRunSummary: handler },
      validateResponses: false,
    });
    const key = s.demo.samples?.[0]?.apiKey ?? '';
    for (let i = 0; i < 6; i++) {
      await new Promise<void>((resolve) => {
        const req = request(`${s.url}/api/v1/runs/101/summary`, { headers: bearer(key) });
        req.on('error', () => resolve());
        req.on('close', () => resolve());
        state.onEnter = () => req.destroy();
        req.end();
      });
    }
    state.release();
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await s.get('/api/v1/runs/101/summary', bearer(key))).status);
    expect(statuses).toEqual([200, 200, 200]);
  });

  test('an address over the budget is refused, even with a valid key; other addresses are not', async () => {
    const s = await server({ failedAuthLimit: { limit: 3, windowMs: 60_000 } });
    const [a, b] = s.demo.samples ?? [];
    const url = `${s.url}/api/v1/runs/101/summary`;
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await rawRequest(url, { headers: bearer(`guess-${i}`) })).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    const limited = await rawRequest(url, { headers: bearer(a?.apiKey ?? '') });
    expect(limited.status).toBe(429);
    const body = JSON.parse(limited.body);
    expect(samples.validate('samplesGetRunSummary', 429, body).errors).toBe('No errors');
    // The headers describe the budget the body names.
    expect(limited.headers['x-ratelimit-limit']).toBe('3');
    expect(limited.headers['x-ratelimit-remaining']).toBe('0');
    expect(Number(limited.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
    expect(body.details).toMatchObject({ limit: 3, window: '60s' });
    expect(Number(limited.headers['retry-after'])).toBe(body.details.retry_after);
    // Another client address: its valid keys, and its own mistakes, are untouched.
    for (const k of [a?.apiKey ?? '', b?.apiKey ?? '']) {
      const other = await rawRequest(url.replace('101', k === a?.apiKey ? '101' : '201'), {
        headers: bearer(k),
        localAddress: '127.0.0.2',
      });
      expect(other.status).toBe(200);
    }
    expect((await rawRequest(url, { headers: bearer('typo'), localAddress: '127.0.0.2' })).status).toBe(401);
  });

  test('samples 401s carry the address budget counting down; the 429 from it says the same', async () => {
    const s = await server({ failedAuthLimit: { limit: 2, windowMs: 60_000 } });
    const url = `${s.url}/api/v1/runs/101/summary`;
    const first = await rawRequest(url, { headers: bearer('nope-1') });
    const second = await rawRequest(url, { headers: bearer('nope-2') });
    expect([first.headers['x-ratelimit-limit'], first.headers['x-ratelimit-remaining']]).toEqual(['2', '1']);
    expect([second.headers['x-ratelimit-limit'], second.headers['x-ratelimit-remaining']]).toEqual(['2', '0']);
    const third = await rawRequest(url, { headers: bearer('nope-3') });
    expect(third.status).toBe(429);
    expect(JSON.parse(third.body).details.limit).toBe(Number(third.headers['x-ratelimit-limit']));
  });
});

describe('budgets per principal (3), not per credential string', () => {
  test('two keys of one samples caller share one budget; its 429 headers match its body', async () => {
    const s = await server({ rateLimit: { limit: 3, windowMs: 60_000 } });
    const owner = s.demo.samples?.[0];
    const first = owner?.apiKey ?? '';
    const rows = await s.store.db.query<{ tenant_id: string; subject: string }>(
      "SELECT tenant_id, subject FROM api_keys WHERE api = 'samples' ORDER BY tenant_id LIMIT 1",
    );
    const second = 'smp_second_key_of_the_same_caller_0001';
    await insertKey(
      s.store.db,
      { api: 'samples', tenantId: rows[0]?.tenant_id ?? '', subject: rows[0]?.subject ?? '' },
      second,
    );
    const statuses: number[] = [];
    for (const k of [first, second, first, second])
      statuses.push((await s.get('/api/v1/runs/101/summary', bearer(k))).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await s.get('/api/v1/runs/101/summary', bearer(first));
    const body = await limited.json();
    expect(samples.validate('samplesGetRunSummary', 429, body).errors).toBe('No errors');
    expect(limited.headers.get('x-ratelimit-limit')).toBe('3');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(body.details.limit).toBe(3);
    // Another caller is untouched.
    const other = s.demo.samples?.[1]?.apiKey ?? '';
    expect((await s.get('/api/v1/runs/201/summary', bearer(other))).status).toBe(200);
  });

  test('a workflows user with three fresh JWTs and a live key has one budget per workspace', async () => {
    const s = await server({ rateLimit: { limit: 4, windowMs: 60_000 } });
    const alice = s.demo.workflows?.find((t) => t.apiKey.startsWith('op_live_demo_alice')) ?? s.demo.workflows?.[0];
    if (!alice) throw new Error('no workflows tenant');
    const path = alice.runs[0]?.path ?? '';
    const headers = alice.headers ?? {};
    const jwt = (jti: string) =>
      new SignJWT({ sub: 'user_demo_alice', jti })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    const credentials = [await jwt('a'), await jwt('b'), await jwt('c'), alice.apiKey, await jwt('d')];
    const statuses: number[] = [];
    for (const c of credentials) statuses.push((await s.get(path, { ...bearer(c), ...headers })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
  });
});
