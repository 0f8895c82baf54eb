/**
 * Mounts RunMonitor against a running server or mock (in a Vite app: `npm run mock`, then point
 * VITE_API_URL at it). With MSW in the browser instead, start the worker first:
 *   const { setupWorker } = await import('msw/browser');
 *   await setupWorker(...handlers).start();
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createMatchingClient } from '../../client/index.ts';
import { createMatchingQueries } from '../../client/react-query.ts';
import { RunMonitor } from './RunMonitor.tsx';

export function mount(element: HTMLElement, baseUrl: string, token: string): void {
  const queries = createMatchingQueries(createMatchingClient({ baseUrl, token }));
  createRoot(element).render(
    <StrictMode>
      <QueryClientProvider client={new QueryClient()}>
        <RunMonitor queries={queries} />
      </QueryClientProvider>
    </StrictMode>,
  );
}
