/**
 * The files of a frontend app as the Vite react-ts template lays it out, plus the flags the
 * template's tsconfig.app.json sets (erasableSyntaxOnly, verbatimModuleSyntax, bundler resolution)
 * and the strict ones some teams add (noPropertyAccessFromIndexSignature,
 * exactOptionalPropertyTypes); tsconfig.node.json is a Node script's view (nodenext).
 * Everything imports the client package by its published name only.
 */
const STRICT = {
  strict: true,
  erasableSyntaxOnly: true,
  verbatimModuleSyntax: true,
  noPropertyAccessFromIndexSignature: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  noFallthroughCasesInSwitch: true,
  noUncheckedSideEffectImports: true,
  noEmit: true,
};

export const TSCONFIG_APP = {
  compilerOptions: {
    tsBuildInfoFile: './node_modules/.tmp/tsconfig.app.tsbuildinfo',
    target: 'ES2022',
    useDefineForClassFields: true,
    lib: ['ES2022', 'DOM', 'DOM.Iterable'],
    module: 'ESNext',
    types: ['vite/client'],
    skipLibCheck: true,
    moduleResolution: 'bundler',
    allowImportingTsExtensions: true,
    moduleDetection: 'force',
    jsx: 'react-jsx',
    ...STRICT,
  },
  include: ['src'],
};

export const TSCONFIG_NODE = {
  compilerOptions: {
    target: 'ES2023',
    lib: ['ES2023', 'DOM'],
    module: 'nodenext',
    moduleResolution: 'nodenext',
    types: ['node'],
    // Our .d.ts files are checked too, under these flags.
    skipLibCheck: false,
    ...STRICT,
  },
  include: ['scripts'],
};

export const INDEX_HTML = `<!doctype html>
<html lang="en">
  <head><meta charset="UTF-8" /><title>runs</title></head>
  <body><div id="root"></div><script type="module" src="/src/main.tsx"></script></body>
</html>
`;

/** Every operation of the five APIs, typed; unwrap() gives the API's own error type. */
export const API_TS = `import {
  createMatchingClient,
  createSamplesClient,
  createTaxonomyClient,
  createTelemetryClient,
  createWorkflowsClient,
  type MatchingApiError,
  type SamplesSchemas,
  unwrap,
} from '@run-api-contracts/client';

const options = { baseUrl: 'http://localhost:4010', token: () => 'token' };
export const telemetry = createTelemetryClient(options);
export const workflows = createWorkflowsClient({ ...options, workspaceId: 'ws_1' });
export const matching = createMatchingClient(options);
export const taxonomy = createTaxonomyClient({ ...options, retry: false });
export const samples = createSamplesClient({ ...options, prefer: { example: 'run_with_failures' } });

export async function everyOperation(): Promise<number> {
  const calls = await Promise.allSettled([
    telemetry.GET('/v1/telemetry/runs', { params: { query: { limit: 10, status: 'completed' } } }),
    telemetry.GET('/v1/telemetry/runs/{id}/summary', { params: { path: { id: 'x' } } }),
    telemetry.GET('/v1/telemetry/schemas/{schema_id}/summary', { params: { path: { schema_id: 's' } } }),
    workflows.GET('/api/v1/workflows/{workflow_id}/runs', { params: { path: { workflow_id: 'w' } } }),
    workflows.GET('/api/v1/workflows/{workflow_id}/runs/{run_id}/overview', {
      params: { path: { workflow_id: 'w', run_id: 'r' } },
    }),
    matching.GET('/v1/matching/runs', {}),
    matching.GET('/v1/matching/runs/{id}', { params: { path: { id: 'm' } } }),
    taxonomy.GET('/v1/taxonomy/runs', { params: { query: { tenant_id: 't' } } }),
    taxonomy.GET('/v1/taxonomy/runs/{run_id}', { params: { path: { run_id: 'r' }, query: { tenant_id: 't' } } }),
    samples.GET('/api/v1/runs', { params: { query: { limit: 5 } } }),
    samples.GET('/api/v1/runs/{run_id}/summary', { params: { path: { run_id: 1 } } }),
  ]);
  return calls.length;
}

export async function summary(runId: number): Promise<SamplesSchemas['SamplesRunSummary']> {
  return unwrap(samples.GET('/api/v1/runs/{run_id}/summary', { params: { path: { run_id: runId } } }));
}

export function messageOf(error: MatchingApiError): string {
  return error.body.error.message;
}
`;

export const MOCK_TYPES_TS = `import { handlersFor, override } from '@run-api-contracts/client/msw';

export const chosen = handlersFor({ samplesGetRunSummary: 'run_with_failures', matchingGetRun: 404 });

// @ts-expect-error: 'run_with_failure' is not a named example of samplesGetRunSummary
export const typo = handlersFor({ samplesGetRunSummary: 'run_with_failure' });

export const typed = override('samplesGetRunSummary', 404, { code: 'not_found', message: 'gone', details: {} });

// @ts-expect-error: run_id is an integer in the samples document
export const wrongShape = override('samplesGetRunSummary', 200, { run_id: 'seven' });
`;

export const RUNS_TSX = `import { pollUntilTerminal, TERMINAL_STATUSES, type MatchingQueries } from '@run-api-contracts/client/react-query';

export function RunStatus({ queries, id }: { queries: MatchingQueries; id: string }) {
  const { data, error, isPending, isError } = queries.useQuery(
    'get',
    '/v1/matching/runs/{id}',
    { params: { path: { id } } },
    { refetchInterval: pollUntilTerminal(TERMINAL_STATUSES.matching, { intervalMs: 5 }) },
  );
  if (isPending) return <p>Loading…</p>;
  // A 431 (headers too large) comes from Node without a body, so error may be undefined.
  if (isError) return <p role="alert">{error?.error.message ?? 'The request failed.'}</p>;
  return <p data-status={data.status}>{data.status}</p>;
}
`;

export const MAIN_TSX = `import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createMatchingClient } from '@run-api-contracts/client';
import { createMatchingQueries } from '@run-api-contracts/client/react-query';
import { RunStatus } from './RunStatus.tsx';

const queries = createMatchingQueries(createMatchingClient({ baseUrl: location.origin, token: 'token' }));
const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={new QueryClient()}>
        <RunStatus queries={queries} id="8d5f2a7e-1c3b-4e6f-9a2d-7b8c9d0e1f2a" />
      </QueryClientProvider>
    </StrictMode>,
  );
`;

export const APP_TEST_TSX = `import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createMatchingClient, createSamplesClient } from '@run-api-contracts/client';
import { handlers, handlersFor } from '@run-api-contracts/client/msw';
import { createMatchingQueries } from '@run-api-contracts/client/react-query';
import { setupServer } from 'msw/node';
import { createRoot } from 'react-dom/client';
import { afterAll, afterEach, beforeAll, expect, test, vi } from 'vitest';
import { RunStatus } from './RunStatus.tsx';

const server = setupServer(...handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

test('the React Query hook renders the mock run', async () => {
  server.use(...handlersFor({ matchingGetRun: 'failed_run' }));
  const queries = createMatchingQueries(createMatchingClient({ baseUrl: 'http://api.test', token: 't', retry: false }));
  const container = document.createElement('div');
  document.body.append(container);
  createRoot(container).render(
    <QueryClientProvider client={new QueryClient()}>
      <RunStatus queries={queries} id="00000000-0000-4000-8000-000000000001" />
    </QueryClientProvider>,
  );
  await vi.waitFor(() => expect(container.querySelector('[data-status]')?.textContent).toBe('failed'), { timeout: 10_000 });
});

test('the handlers refuse limit=1000 as the server does', async () => {
  const samples = createSamplesClient({ baseUrl: 'http://api.test', token: 't', retry: false });
  const { error, response } = await samples.GET('/api/v1/runs', { params: { query: { limit: 1000 } } });
  expect(response.status).toBe(400);
  expect(error).toMatchObject({ code: 'bad_request', details: { parameter: 'limit', location: 'query' } });
});
`;

/** A Node script's view (moduleResolution nodenext): types, documents and MSW in Node. */
export const NODE_SCRIPT_TS = `import { createSamplesClient, isApiError, unwrap } from '@run-api-contracts/client';
import { handlersFor } from '@run-api-contracts/client/msw';
import { catalog, type OperationScenarios } from '@run-api-contracts/client/scenarios';
import type { paths } from '@run-api-contracts/client/types/samples';
import document from '@run-api-contracts/client/openapi/samples.json' with { type: 'json' };
import { setupServer } from 'msw/node';

type SummaryPath = keyof paths;
export const summaryPath: SummaryPath = '/api/v1/runs/{run_id}/summary';
export const operations: OperationScenarios[] = catalog;
export const title: string = document.info.title;

export async function check(): Promise<boolean> {
  const server = setupServer(...handlersFor({ samplesGetRunSummary: 404 }));
  server.listen();
  const samples = createSamplesClient({ baseUrl: 'http://api.test', token: 't', retry: false });
  try {
    await unwrap(samples.GET(summaryPath, { params: { path: { run_id: 1 } } }));
    return false;
  } catch (error) {
    return isApiError(error) && error.status === 404;
  } finally {
    server.close();
  }
}
`;

/**
 * What the README's TypeScript samples take from the page around them rather than declare: the MSW
 * server of the vitest sample, a run id, a client, and the imports of the polling fragment.
 */
export const README_CONTEXT_D_TS = `import type { SetupServer } from 'msw/node';
import type { MatchingClient } from '@run-api-contracts/client';

declare global {
  const server: SetupServer;
  const id: string;
  const matching: MatchingClient;
  const useQuery: typeof import('@tanstack/react-query').useQuery;
  const unwrap: typeof import('@run-api-contracts/client').unwrap;
}
`;

/** The app's flags for the README's samples; a sample may leave a result unused, as its reader would not. */
export const TSCONFIG_README = {
  compilerOptions: { ...TSCONFIG_APP.compilerOptions, noUnusedLocals: false, types: ['vite/client', 'node'] },
  include: ['readme'],
};

/** The README's ts/tsx code blocks, in order, each as a file a reader would paste. */
export function readmeSamples(readme: string): Array<{ file: string; code: string }> {
  return [...readme.matchAll(/^```(tsx?)\n([\s\S]*?)^```$/gm)].map((m, i) => ({
    file: `readme/sample-${i + 1}.${m[1]}`,
    code: m[2] ?? '',
  }));
}
