// @vitest-environment happy-dom
/**
 * The React Query helpers with the MSW handlers, as a frontend's component test uses them: the
 * example page (examples/react/RunMonitor.tsx) lists runs from the mock and polls a run until its
 * status is terminal, then stops.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { createMatchingClient, type WorkflowsSchemas } from '../../client/index.ts';
import { createMatchingQueries, pollUntilTerminal, TERMINAL_STATUSES } from '../../client/react-query.ts';
import { RunDetail, RunList } from '../../examples/react/RunMonitor.tsx';
import { handlers } from '../../mocks/handlers.ts';
import { scenariosOf } from '../../mocks/scenarios.ts';

const baseUrl = 'http://api.test';
const server = setupServer(...handlers);
const example = (key: string) => scenariosOf('matchingGetRun').scenarios.find((s) => s.key === key)?.value as object;
let root: Root | undefined;
let container: HTMLElement;

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  root?.unmount();
  server.resetHandlers();
});
afterAll(() => server.close());

function render(element: ReturnType<typeof createElement>) {
  container = document.createElement('div');
  document.body.append(container);
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  root = createRoot(container);
  root.render(createElement(QueryClientProvider, { client }, element));
}

const queries = createMatchingQueries(createMatchingClient({ baseUrl, token: 'any-token', retry: false }));

describe('React Query helpers', () => {
  test('the list renders the mock first page', async () => {
    render(createElement(RunList, { queries, onPick: () => {} }));
    const page = scenariosOf('matchingListRuns').scenarios[0]?.value as { data: Array<{ id: string }> };
    await vi.waitFor(() => expect(container.querySelectorAll('li')).toHaveLength(page.data.length), {
      timeout: 10_000,
    });
    expect(container.textContent).toContain(page.data[0]?.id);
  });

  test('a run is polled until its status is terminal, then no more', async () => {
    let calls = 0;
    server.use(
      http.get(`${baseUrl}/v1/matching/runs/:id`, () => {
        calls += 1;
        return HttpResponse.json(calls < 3 ? example('running_run') : example('completed_run'));
      }),
    );
    const id = (example('running_run') as { id: string }).id;
    render(createElement(RunDetail, { queries, id, intervalMs: 5 }));
    await vi.waitFor(() => expect(container.querySelector('[data-status]')?.textContent).toBe('completed'), {
      timeout: 10_000,
    });
    const settled = calls;
    expect(settled).toBe(3);
    // A terminal run is not fetched again: wait several intervals' worth of React Query ticks.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toBe(settled);
  });

  test("the API's error body reaches the component", async () => {
    const anonymous = createMatchingQueries(createMatchingClient({ baseUrl, token: '', retry: false }));
    render(createElement(RunList, { queries: anonymous, onPick: () => {} }));
    const unauthorized = scenariosOf('matchingListRuns').scenarios.find((s) => s.status === 401)?.value as {
      error: { message: string };
    };
    await vi.waitFor(
      () => expect(container.querySelector('[role=alert]')?.textContent).toBe(unauthorized.error.message),
      {
        timeout: 10_000,
      },
    );
  });

  test('pollUntilTerminal: interval while running, false once terminal or failed', () => {
    const poll = pollUntilTerminal(TERMINAL_STATUSES.taxonomy, { intervalMs: 1000 });
    expect(poll({ state: { status: 'pending', data: undefined } })).toBe(1000);
    expect(poll({ state: { status: 'success', data: { status: 'running' } } })).toBe(1000);
    expect(poll({ state: { status: 'success', data: { status: 'succeeded' } } })).toBe(false);
    expect(poll({ state: { status: 'error', data: undefined } })).toBe(false);
    const nested = pollUntilTerminal(TERMINAL_STATUSES.workflows, {
      statusOf: (d: WorkflowsSchemas['WorkflowsRunOverviewResponse']) => d.data.run.status,
    });
    expect(nested({ state: { status: 'success', data: { data: { run: { status: 'cancelled' } } } } })).toBe(false);
  });
});
