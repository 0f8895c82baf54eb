import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApiError, prefer, unwrap } from '../../client/index.ts';
import { type RunningMock, startMock } from '../../mocks/prism.ts';
import { API_NAMES, catalog } from '../../mocks/scenarios.ts';
import { bodyOf, type Clients, clientsFor, mockCalls } from '../client/calls.ts';
import { brokenRules } from '../helpers/seed-rules.ts';
import { specValidator } from '../helpers/spec.ts';

const validators = Object.fromEntries(API_NAMES.map((api) => [api, specValidator(api)]));
let mock: RunningMock;
let clients: Clients;

beforeAll(async () => {
  mock = await startMock();
  // Retries off: the 429/503 scenarios are what is under test, not something to wait out.
  clients = clientsFor({ baseUrl: mock.url, token: 'any-token', retry: false });
});
afterAll(() => mock?.close());

describe.each(catalog)('Prism: $operationId', (op) => {
  const validator = validators[op.api];
  const call = mockCalls[op.operationId];

  test.each(op.scenarios.map((s) => ({ ...s, name: `${s.response} ${s.key}` })))('$name', async (scenario) => {
    const outcome = await call(clients, { Prefer: prefer({ code: scenario.status, example: scenario.key }) });
    expect(outcome.response.status).toBe(scenario.status);
    const body = bodyOf(outcome);
    expect(validator?.validate(op.operationId, scenario.response, body)).toMatchObject({ valid: true });
    expect(body).toEqual(scenario.value);
    for (const name of Object.keys(scenario.headers)) expect(outcome.response.headers.has(name), name).toBe(true);
  });

  test('without Prefer: the first example of the lowest 2xx', async () => {
    const outcome = await call(clients);
    expect(outcome.response.status).toBe(200);
    expect(outcome.data).toEqual(op.scenarios[0]?.value);
  });

  test('Prefer code= alone: that status with its first example', async () => {
    for (const status of new Set(op.scenarios.filter((s) => s.response !== 'default').map((s) => s.status))) {
      const outcome = await call(clients, { Prefer: prefer({ code: status }) });
      expect(outcome.response.status).toBe(status);
      expect(bodyOf(outcome)).toEqual(op.scenarios.find((s) => s.status === status)?.value);
    }
  });

  test('Prefer example= alone picks among the 2xx examples', async () => {
    const last = op.scenarios.filter((s) => s.status === 200).at(-1);
    const outcome = await call(clients, { Prefer: prefer({ example: last?.key ?? '' }) });
    expect(outcome.data).toEqual(last?.value);
  });
});

describe('Prism: the seeds', () => {
  test.each(API_NAMES)(
    "%s: the seed operation's default 200 keeps the seed's rules; published_example is the seed's own, verbatim",
    async (api) => {
      const seed = JSON.parse(readFileSync(`test/fixtures/seeds/${api}.json`, 'utf8')) as {
        operationId: keyof typeof mockCalls;
        examples: Array<{ status: string; value: unknown }>;
      };
      const byDefault = await mockCalls[seed.operationId](clients);
      expect(byDefault.response.status).toBe(200);
      expect(brokenRules(seed.operationId, byDefault.data)).toEqual([]);
      const published = await mockCalls[seed.operationId](clients, {
        Prefer: prefer({ example: 'published_example' }),
      });
      expect(published.data).toEqual(seed.examples.find((e) => e.status === '200')?.value);
    },
  );

  test('a call without a token gets the 401 scenario', async () => {
    const anonymous = clientsFor({ baseUrl: mock.url, token: '', retry: false });
    const outcome = await mockCalls.samplesGetRunSummary(anonymous);
    expect(outcome.response.status).toBe(401);
    expect(validators.samples?.validate('samplesGetRunSummary', 401, outcome.error)).toMatchObject({ valid: true });
  });

  test('unwrap throws a typed ApiError carrying the X-Request-Id', async () => {
    const failing = mockCalls.samplesGetRunSummary(clients, { Prefer: 'code=404' });
    const error = await unwrap(failing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 404, requestId: 'req_01HV6Z3J8Q4N2W7C5B9D0E1F2G' });
  });
});

describe('Prism --dynamic --seed', () => {
  let dynamic: RunningMock;
  beforeAll(async () => {
    dynamic = await startMock({ dynamic: true, seed: 7 });
  });
  afterAll(() => dynamic?.close());

  test('generated bodies follow the schema and repeat for a fixed seed', async () => {
    const c = clientsFor({ baseUrl: dynamic.url, token: 'any-token', retry: false });
    for (const op of catalog) {
      const first = await mockCalls[op.operationId](c);
      const again = await mockCalls[op.operationId](c);
      expect(first.response.status, op.operationId).toBe(200);
      expect(validators[op.api]?.validate(op.operationId, 200, first.data), op.operationId).toMatchObject({
        valid: true,
      });
      expect(again.data).toEqual(first.data);
    }
  });
});

describe('Prism validation proxy', () => {
  let upstream: Server;
  let proxy: RunningMock;
  const logs: string[] = [];
  beforeAll(async () => {
    // An upstream that breaks the contract: the summary lacks its required counts.
    upstream = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'r1' });
      res.end(JSON.stringify({ run_id: 1, surprise: true }));
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const { port } = upstream.address() as AddressInfo;
    proxy = await startMock({ proxy: `http://127.0.0.1:${port}`, onLog: (line) => logs.push(line) });
  });
  afterAll(async () => {
    await proxy?.close();
    await new Promise((resolve) => upstream?.close(resolve));
  });

  test('forwards to the upstream and reports the response that breaks the contract', async () => {
    const c = clientsFor({ baseUrl: proxy.url, token: 'any-token', retry: false });
    const outcome = await mockCalls.samplesGetRunSummary(c);
    expect(outcome.data).toEqual({ run_id: 1, surprise: true });
    await expect.poll(() => logs.filter((l) => /Violation: response/.test(l)).length).toBeGreaterThan(0);
  });
});
