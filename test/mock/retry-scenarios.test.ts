/**
 * The 1-second 429/503 scenarios drive the typed client's real retry path: exactly one retry, then
 * the 200. Prism answers per request and keeps no state, so the first attempt carries
 * `Prefer: code=429, example=rate_limited_retry_soon` (added by an injected fetch, which the retry
 * middleware also sends its retry through) and the retry goes out without it, as a client's
 * second call would. MSW answers a sequence (mocks/sequence.ts) and runs on fake timers.
 */
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { prefer } from '../../client/index.ts';
import { type RunningMock, startMock } from '../../mocks/prism.ts';
import { catalog, type Scenario } from '../../mocks/scenarios.ts';
import { retrySoon } from '../../mocks/sequence.ts';
import { clientsFor, mockCalls } from '../client/calls.ts';

const SCENARIOS = [
  { status: 429, example: 'rate_limited_retry_soon' },
  { status: 503, example: 'unavailable_retry_soon' },
] as const;
// No jitter: the wait is exactly the Retry-After the scenario sends.
const retry = { random: () => 0 };

describe('every operation has both 1-second scenarios, named alike, with Retry-After: 1', () => {
  test.each(catalog.map((op) => [op.operationId, op] as const))('%s', (_id, op) => {
    for (const { status, example } of SCENARIOS) {
      const scenario = op.scenarios.find((s) => s.status === status && s.key === example);
      expect(scenario, `${status} ${example}`).toBeDefined();
      expect(scenario?.headers['Retry-After']).toBe('1');
      // Prism answers a status's first example for `Prefer: code=`: make that the 1-second one too.
      expect(op.scenarios.find((s) => s.status === status)?.key).toBe(example);
    }
  });
});

describe('Prism: one retry after Retry-After: 1, then the 200', () => {
  let mock: RunningMock;
  beforeAll(async () => {
    mock = await startMock();
  });
  afterAll(() => mock?.close());

  test.each(SCENARIOS)('$status $example on every operation', async ({ status, example }) => {
    await Promise.all(
      catalog.map(async (op) => {
        const seen: number[] = [];
        let attempts = 0;
        const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
          const request = new Request(input, init);
          if (attempts++ === 0) request.headers.set('Prefer', prefer({ code: status, example }));
          const response = await globalThis.fetch(request);
          seen.push(response.status);
          return response;
        };
        const outcome = await mockCalls[op.operationId](clientsFor({ baseUrl: mock.url, token: 't', retry, fetch }));
        expect(seen, op.operationId).toEqual([status, 200]);
        expect(outcome.response.status, op.operationId).toBe(200);
        expect(outcome.data, op.operationId).toEqual(op.scenarios[0]?.value);
      }),
    );
  });
});

describe('MSW: one retry after Retry-After: 1, then the 200 (fake timers)', () => {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => {
    server.resetHandlers();
    vi.useRealTimers();
  });
  afterAll(() => server.close());

  test.each(SCENARIOS.flatMap((s) => catalog.map((op) => ({ ...s, op, name: `${s.status} ${op.operationId}` }))))(
    '$name',
    async ({ status, op }) => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
      const served: Scenario[] = [];
      server.use(retrySoon(op.operationId, status, { onServe: (s) => served.push(s) }));
      const clients = clientsFor({ baseUrl: 'http://api.test', token: 't', retry });
      const pending = mockCalls[op.operationId](clients);
      await retryScheduled();
      await vi.advanceTimersByTimeAsync(999);
      expect(served.map((s) => s.status)).toEqual([status]);
      await vi.advanceTimersByTimeAsync(1);
      const outcome = await pending;
      expect(served.map((s) => s.status)).toEqual([status, 200]);
      expect(outcome.response.status).toBe(200);
      expect(outcome.data).toEqual(op.scenarios[0]?.value);
    },
  );
});

/** Lets real I/O run (setImmediate is not faked) until the client's retry wait is scheduled. */
async function retryScheduled(): Promise<void> {
  for (let turn = 0; turn < 10_000 && vi.getTimerCount() === 0; turn++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  expect(vi.getTimerCount(), 'the client scheduled its retry').toBeGreaterThan(0);
}
