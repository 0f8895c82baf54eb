// @vitest-environment happy-dom
/**
 * What a frontend's component test does with a run that moves: an MSW sequence (mocks/sequence.ts)
 * answers queued, running, running, completed; React Query polls with refetchInterval until the
 * run is terminal, renders each state, and then stops asking.
 */
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { useEffect } from 'react';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { createMatchingClient, unwrap } from '../../client/index.ts';
import { runLifecycle } from '../../mocks/sequence.ts';

const BASE_URL = 'http://api.test';
const RUN_ID = '4a7e1c93-5b2d-4f08-8e6a-0c3d9b1f7e52';
const TERMINAL = new Set(['completed', 'failed', 'cancelled']);
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  cleanup();
  server.resetHandlers();
});
afterAll(() => server.close());

function RunStatus({ seen }: { seen: string[] }) {
  const client = createMatchingClient({ baseUrl: BASE_URL, token: 'any' });
  const { data } = useQuery({
    queryKey: ['matching-run', RUN_ID],
    queryFn: () => unwrap(client.GET('/v1/matching/runs/{id}', { params: { path: { id: RUN_ID } } })),
    // Poll while the run can still change; a terminal run is final.
    refetchInterval: (query) => (query.state.data && TERMINAL.has(query.state.data.status) ? false : 20),
  });
  useEffect(() => {
    if (data && seen.at(-1) !== data.status) seen.push(data.status);
  }, [data, seen]);
  if (!data) return <p>loading</p>;
  return (
    <p>
      run {data.id}: <strong>{data.status}</strong> ({data.rows_processed ?? 0} rows)
    </p>
  );
}

test('a polled run renders running, then completed, and polling stops', async () => {
  let requests = 0;
  server.use(runLifecycle('matchingGetRun', { baseUrl: BASE_URL, onServe: () => requests++ }));
  const seen: string[] = [];
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <RunStatus seen={seen} />
    </QueryClientProvider>,
  );
  expect(await screen.findByText('running')).toBeTruthy();
  expect(await screen.findByText('completed', {}, { timeout: 5000 })).toBeTruthy();
  expect(seen).toEqual(['queued', 'running', 'completed']);
  // queued, running x2, completed: four answers, then no further request however long it waits.
  expect(requests).toBe(4);
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(requests).toBe(4);
  expect(queryClient.isFetching()).toBe(0);
});
