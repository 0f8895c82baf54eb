import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { ApiError, createSamplesClient, prefer, unwrap } from '../../client/index.ts';
import { handlers, handlersFor } from '../../mocks/handlers.ts';
import { API_NAMES, catalog, scenariosOf } from '../../mocks/scenarios.ts';
import { type Json, resolveRef } from '../../openapi/document.ts';
import { bodyOf, clientsFor, mockCalls } from '../client/calls.ts';
import { type ApiName, loadBundled, specValidator } from '../helpers/spec.ts';

/** A named example of a response, straight from the bundled document, following $refs. */
function documentExample(api: ApiName, path: string, method: string, response: string, key: string): unknown {
  const doc = loadBundled(api);
  const deref = (node: unknown): Json => resolveRef(doc, node);
  const operation = deref((deref((doc.paths as Json)[path]) as Json)[method.toLowerCase()]);
  const declared = deref((operation.responses as Json)[response]);
  const examples = deref((declared.content as Json)['application/json']).examples as Json;
  return deref(examples[key]).value;
}

const validators = Object.fromEntries(API_NAMES.map((api) => [api, specValidator(api)]));
const server = setupServer(...handlers);
const baseUrl = 'http://api.test';
const clients = clientsFor({ baseUrl, token: 'any-token', retry: false });

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe.each(catalog)('MSW: $operationId', (op) => {
  const call = mockCalls[op.operationId];

  test.each(op.scenarios.map((s) => ({ ...s, name: `${s.response} ${s.key}` })))('$name', async (scenario) => {
    // Chosen per test through handlersFor, the way a frontend's unit test would.
    server.use(...handlersFor({ [op.operationId]: scenario.key }));
    const outcome = await call(clients);
    expect(outcome.response.status).toBe(scenario.status);
    const body = bodyOf(outcome);
    expect(validators[op.api]?.validate(op.operationId, scenario.response, body)).toMatchObject({ valid: true });
    // The example as the bundled document holds it, read here rather than from the catalog the handlers serve.
    expect(body).toEqual(documentExample(op.api, op.path, op.method, scenario.response, scenario.key));
    expect(Object.fromEntries(outcome.response.headers)).toMatchObject(
      Object.fromEntries(Object.entries(scenario.headers).map(([k, v]) => [k.toLowerCase(), v])),
    );
  });

  test('the default handlers answer the first example of the lowest 2xx', async () => {
    const outcome = await call(clients);
    expect(outcome.response.status).toBe(200);
    expect(outcome.data).toEqual(op.scenarios[0]?.value);
  });

  test("a request's Prefer header picks the scenario, as with Prism", async () => {
    const last = op.scenarios.at(-1);
    const outcome = await call(clients, { Prefer: prefer({ code: last?.status ?? 0, example: last?.key ?? '' }) });
    expect(outcome.response.status).toBe(last?.status);
    expect(bodyOf(outcome)).toEqual(last?.value);
  });
});

describe('MSW scenario choice', () => {
  test('by status: its first example', async () => {
    server.use(...handlersFor({ samplesGetRunSummary: 404 }));
    const error = await unwrap(mockCalls.samplesGetRunSummary(clients)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 404,
      body: { code: 'not_found' },
      requestId: 'req_01HV6Z3J8Q4N2W7C5B9D0E1F2G',
    });
  });

  test("the client's prefer option reaches the handlers", async () => {
    const client = createSamplesClient({ baseUrl, token: 't', retry: false, prefer: { example: 'run_with_failures' } });
    const { data } = await client.GET('/api/v1/runs/{run_id}/summary', { params: { path: { run_id: 1 } } });
    expect(data).toEqual(
      scenariosOf('samplesGetRunSummary').scenarios.find((s) => s.key === 'run_with_failures')?.value,
    );
  });

  test('a call without a token gets the 401 scenario', async () => {
    const anonymous = clientsFor({ baseUrl, token: '', retry: false });
    expect((await mockCalls.matchingGetRun(anonymous)).response.status).toBe(401);
  });

  test('an unknown scenario fails loudly: at setup, and per request like Prism', async () => {
    // @ts-expect-error: scenario keys are typed, so this typo already fails tsc
    expect(() => handlersFor({ samplesListRuns: 'no_such_example' })).toThrow(/first_page/);
    const outcome = await mockCalls.samplesListRuns(clients, { Prefer: 'example=no_such_example' });
    expect(outcome.response.status).toBe(404);
  });
});
