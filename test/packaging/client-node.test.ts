/**
 * The client package as a CI script or a Node service uses it: `npm pack`, installed alone into a
 * scratch project, imported by a plain `.mjs` file (no TypeScript runner) that calls the reference
 * server. Installing it must add openapi-fetch and nothing of the server.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { specValidator } from '../helpers/spec.ts';
import { installedPackages, must, npmInstall, sharedTarball, workDir, writeProject } from './scratch.ts';

// Each step runs a real npx, tsc, vite or node process: a busy CI machine can take minutes.
const STEP_TIMEOUT = 300_000;
let work = '';
let app: string;
let server: TestServer;

const CALL_MJS = `
import { ApiError, createSamplesClient, unwrap } from '@run-api-contracts/client';
import { catalog } from '@run-api-contracts/client/scenarios';

const [baseUrl, token, runId] = process.argv.slice(2);
const samples = createSamplesClient({ baseUrl, token, retry: false });
const summary = await unwrap(samples.GET('/api/v1/runs/{run_id}/summary', { params: { path: { run_id: Number(runId) } } }));
const missing = await unwrap(samples.GET('/api/v1/runs/{run_id}/summary', { params: { path: { run_id: 987654321 } } })).catch((e) => e);
console.log(JSON.stringify({
  summary,
  missing: { isApiError: missing instanceof ApiError, status: missing.status, body: missing.body },
  operations: catalog.length,
}));
`;

beforeAll(async () => {
  work = await workDir('client-node');
  const tarball = await sharedTarball('client');
  app = join(work, 'app');
  await writeProject(app, {
    'package.json': {
      name: 'ci-script',
      private: true,
      type: 'module',
      dependencies: { '@run-api-contracts/client': `file:${tarball}` },
    },
    'call.mjs': CALL_MJS,
  });
  await npmInstall(app);
  server = await startTestServer();
}, 600_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
  await server?.close();
});

describe('the client package installed alone', { timeout: STEP_TIMEOUT }, () => {
  test('adds only openapi-fetch and its own dependency', async () => {
    expect(await installedPackages(app)).toEqual([
      'node_modules/@run-api-contracts/client',
      'node_modules/openapi-fetch',
      'node_modules/openapi-typescript-helpers',
    ]);
  });

  test('a plain node .mjs script imports it and calls the reference server', async () => {
    const tenant = server.demo.samples?.[0];
    const run = tenant?.runs.find((r) => r.status === 'completed');
    expect(run).toBeDefined();
    const out = await must(process.execPath, ['call.mjs', server.url, tenant?.apiKey ?? '', String(run?.id)], app);
    const result = JSON.parse(out.stdout) as {
      summary: { run_id: number };
      missing: { isApiError: boolean; status: number; body: unknown };
      operations: number;
    };
    const samples = specValidator('samples');
    expect(result.summary.run_id).toBe(Number(run?.id));
    expect(samples.validate('samplesGetRunSummary', 200, result.summary)).toMatchObject({ valid: true });
    expect(result.missing).toMatchObject({ isApiError: true, status: 404 });
    expect(samples.validate('samplesGetRunSummary', 404, result.missing.body)).toMatchObject({ valid: true });
    expect(result.operations).toBe(11);
  });
});
