import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createSamplesClient, retryAfterMs, unwrap } from '../../client/index.ts';

const SUMMARY = { run_id: 7, total_samples: 1, pass_count: 1, fail_count: 0 };
type Reply = { status: number; headers?: Record<string, string> };

let script: Reply[] = [];
let hits: Array<{ at: number; authorization: string | null }> = [];

// An injected fetch: answers the scripted replies in order, then 200 with a summary. Timers are fake,
// so every wait is measured on the fake clock, exactly, and the tests take no wall-clock time.
const scripted = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  const request = new Request(input, init);
  hits.push({ at: Date.now(), authorization: request.headers.get('authorization') });
  const reply = script.shift() ?? { status: 200 };
  const body = reply.status === 200 ? SUMMARY : { code: 'x', message: `status ${reply.status}`, details: {} };
  return new Response(JSON.stringify(body), {
    status: reply.status,
    headers: { 'content-type': 'application/json', 'x-request-id': 'req_test', ...reply.headers },
  });
};

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(Date.parse('2026-03-10T08:00:00Z'));
  script = [];
  hits = [];
});
afterEach(() => {
  vi.useRealTimers();
});

/** Runs the fake clock until the call settles: every retry's wait elapses without real time passing. */
async function settle<T>(call: Promise<T>): Promise<T> {
  await vi.runAllTimersAsync();
  return call;
}

const summary = (retry?: Parameters<typeof createSamplesClient>[0]['retry']) =>
  settle(
    createSamplesClient({
      baseUrl: 'http://samples.test',
      token: 'tok',
      fetch: scripted,
      ...(retry !== undefined ? { retry } : {}),
    }).GET('/api/v1/runs/{run_id}/summary', { params: { path: { run_id: 7 } } }),
  );

const gaps = () => hits.slice(1).map((hit, i) => hit.at - (hits[i]?.at ?? 0));

describe('client retry', () => {
  test('a 429 with Retry-After: 1 is retried after a second plus jitter, then succeeds', async () => {
    script = [{ status: 429, headers: { 'retry-after': '1' } }];
    const { data, response } = await summary({ random: () => 0 });
    expect(response.status).toBe(200);
    expect(data).toEqual(SUMMARY);
    expect(gaps()).toEqual([1000]);
    // The retry is the same request: still authenticated.
    expect(hits[1]?.authorization).toBe('Bearer tok');
  });

  test('the jitter on top of Retry-After is at most a quarter of it (capped at baseDelayMs)', async () => {
    script = [{ status: 429, headers: { 'retry-after': '1' } }];
    await summary({ random: () => 1 });
    expect(gaps()).toEqual([1250]);
  });

  test('a 503 with an HTTP-date Retry-After waits until that date', async () => {
    const date = new Date(Date.now() + 2000).toUTCString();
    script = [{ status: 503, headers: { 'retry-after': date } }];
    const { response } = await summary({ random: () => 0 });
    expect(response.status).toBe(200);
    expect(gaps()).toEqual([2000]);
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
    expect(gaps()).toEqual([100, 200]);
  });

  test('a Retry-After beyond maxDelayMs is handed back at once', async () => {
    script = [{ status: 429, headers: { 'retry-after': '30' } }];
    const started = Date.now();
    const { response } = await summary({ maxDelayMs: 5000 });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('30');
    expect(Date.now() - started).toBe(0);
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
