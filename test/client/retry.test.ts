import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createSamplesClient, retryAfterMs, unwrap } from '../../client/index.ts';

const SUMMARY = { run_id: 7, total_samples: 1, pass_count: 1, fail_count: 0 };
type Reply = { status: number; headers?: Record<string, string> };

let server: Server;
let baseUrl: string;
let script: Reply[] = [];
let hits: Array<{ at: number; authorization: string | undefined }> = [];

// Answers the scripted replies in order, then 200 with a summary.
beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push({ at: Date.now(), authorization: req.headers.authorization });
    const reply = script.shift() ?? { status: 200 };
    const body = reply.status === 200 ? SUMMARY : { code: 'x', message: `status ${reply.status}`, details: {} };
    res.writeHead(reply.status, { 'content-type': 'application/json', 'x-request-id': 'req_test', ...reply.headers });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => {
  script = [];
  hits = [];
});

const summary = (retry?: Parameters<typeof createSamplesClient>[0]['retry']) =>
  createSamplesClient({ baseUrl, token: 'tok', ...(retry !== undefined ? { retry } : {}) }).GET(
    '/api/v1/runs/{run_id}/summary',
    { params: { path: { run_id: 7 } } },
  );

describe('client retry', () => {
  test('a 429 with Retry-After: 1 is retried after about a second, then succeeds', async () => {
    script = [{ status: 429, headers: { 'retry-after': '1' } }];
    const { data, response } = await summary();
    expect(response.status).toBe(200);
    expect(data).toEqual(SUMMARY);
    expect(hits).toHaveLength(2);
    const waited = (hits[1]?.at ?? 0) - (hits[0]?.at ?? 0);
    expect(waited).toBeGreaterThanOrEqual(1000);
    expect(waited).toBeLessThan(1600);
    // The retry is the same request: still authenticated.
    expect(hits[1]?.authorization).toBe('Bearer tok');
  });

  test('a 503 with an HTTP-date Retry-After waits until that date', async () => {
    // HTTP dates have whole seconds: 2 s ahead is at least 1 s away once truncated.
    const date = new Date(Date.now() + 2000).toUTCString();
    script = [{ status: 503, headers: { 'retry-after': date } }];
    const { response } = await summary();
    expect(response.status).toBe(200);
    expect((hits[1]?.at ?? 0) - (hits[0]?.at ?? 0)).toBeGreaterThanOrEqual(900);
  });

  test('a 404 is not retried', async () => {
    script = [{ status: 404 }];
    const { error, response } = await summary();
    expect(response.status).toBe(404);
    expect(error).toMatchObject({ message: 'status 404' });
    expect(hits).toHaveLength(1);
  });

  test.each([400, 401, 422])('a %i is not retried', async (status) => {
    script = [{ status }];
    expect((await summary()).response.status).toBe(status);
    expect(hits).toHaveLength(1);
  });

  test('retries stop at the bound and hand back the last 429', async () => {
    script = Array.from({ length: 5 }, () => ({ status: 429, headers: { 'retry-after': '0' } }));
    const { response } = await summary({ retries: 2 });
    expect(response.status).toBe(429);
    expect(hits).toHaveLength(3);
    await expect(unwrap(summary({ retries: 1 }))).rejects.toMatchObject({ status: 429, requestId: 'req_test' });
  });

  test('without Retry-After the backoff is jittered exponential', async () => {
    script = [{ status: 503 }, { status: 503 }];
    const { response } = await summary({ retries: 2, baseDelayMs: 100, random: () => 1 });
    expect(response.status).toBe(200);
    const [a, b, c] = hits.map((h) => h.at);
    expect((b ?? 0) - (a ?? 0)).toBeGreaterThanOrEqual(95);
    expect((c ?? 0) - (b ?? 0)).toBeGreaterThanOrEqual(195);
  });

  test('a Retry-After beyond maxDelayMs is handed back at once', async () => {
    script = [{ status: 429, headers: { 'retry-after': '30' } }];
    const started = Date.now();
    const { response } = await summary({ maxDelayMs: 5000 });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('30');
    expect(Date.now() - started).toBeLessThan(500);
    expect(hits).toHaveLength(1);
  });

  test('retry: false sends once', async () => {
    script = [{ status: 503, headers: { 'retry-after': '0' } }];
    expect((await summary(false)).response.status).toBe(503);
    expect(hits).toHaveLength(1);
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-03-10T08:00:00Z');
  test.each([
    ['1', 1000],
    [' 30 ', 30_000],
    ['Tue, 10 Mar 2026 08:00:05 GMT', 5000],
    ['Tue, 10 Mar 2026 07:59:00 GMT', 0],
    ['soon', undefined],
    [null, undefined],
  ])('%s -> %s ms', (value, expected) => {
    expect(retryAfterMs(value, now)).toBe(expected);
  });
});
