import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { scenariosOf } from '../../mocks/scenarios.ts';
import { lifecycles, runLifecycle, sequence } from '../../mocks/sequence.ts';
import { clientsFor, mockCalls } from '../client/calls.ts';
import { specValidator } from '../helpers/spec.ts';

const server = setupServer();
const clients = clientsFor({ baseUrl: 'http://api.test', token: 't', retry: false });

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  vi.useRealTimers();
});
afterAll(() => server.close());

const exampleValue = (operationId: Parameters<typeof scenariosOf>[0], key: string) =>
  scenariosOf(operationId).scenarios.find((s) => s.key === key)?.value;

describe('MSW sequences', () => {
  test('advance per request, then keep answering the last step', async () => {
    server.use(sequence('taxonomyGetRun', ['pending_run', { scenario: 'running_run', times: 2 }, 'succeeded_run']));
    const statuses: unknown[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push(((await mockCalls.taxonomyGetRun(clients)).data as { status: string }).status);
    expect(statuses).toEqual(['pending', 'running', 'running', 'succeeded', 'succeeded', 'succeeded']);
  });

  test('advance per elapsed time (Date.now, so fake timers drive it)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    server.use(runLifecycle('workflowsGetRunOverview', { advance: { everyMs: 1000 } }));
    const status = async () =>
      ((await mockCalls.workflowsGetRunOverview(clients)).data as { data: { run: { status: string } } }).data.run
        .status;
    expect(await status()).toBe('running');
    vi.advanceTimersByTime(1500);
    expect(await status()).toBe('running');
    vi.advanceTimersByTime(1000);
    expect(await status()).toBe('completed');
  });

  test.each(Object.entries(lifecycles))('%s: every step is a valid answer of the document', async (operationId) => {
    const op = scenariosOf(operationId as keyof typeof lifecycles);
    server.use(runLifecycle(operationId as keyof typeof lifecycles));
    const spec = specValidator(op.api);
    for (let i = 0; i < 4; i++) {
      const outcome = await mockCalls[op.operationId](clients);
      const body = outcome.response.ok ? outcome.data : outcome.error;
      expect(spec.validate(op.operationId, outcome.response.status, body)).toMatchObject({ valid: true });
    }
    expect((await mockCalls[op.operationId](clients)).data).toEqual(
      exampleValue(op.operationId, op.api === 'taxonomy' ? 'succeeded_run' : 'completed_run'),
    );
  });

  test('a step that names no scenario fails when the handler is built', () => {
    // @ts-expect-error: not a scenario of matchingGetRun (tsc refuses it; at run time it throws)
    expect(() => sequence('matchingGetRun', ['no_such_run'])).toThrow(/completed_run/);
    expect(() => sequence('matchingGetRun', [])).toThrow(/at least one step/);
    expect(() => sequence('matchingGetRun', [{ scenario: 'queued_run', times: 0 }])).toThrow(/times/);
  });

  test('without a token: the 401, as the default handlers do', async () => {
    server.use(runLifecycle('matchingGetRun'));
    const anonymous = clientsFor({ baseUrl: 'http://api.test', token: '', retry: false });
    expect((await mockCalls.matchingGetRun(anonymous)).response.status).toBe(401);
  });
});
