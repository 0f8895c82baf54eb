import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { APIS } from '../../generated/apis.ts';
import type { DemoManifest } from '../../server/demo-manifest.ts';
import { type MainProcess, startMainProcess } from '../helpers/main-process.ts';
import { API_NAMES, specValidator } from '../helpers/spec.ts';

const SEED_OPERATION: Record<string, string> = {
  telemetry: 'telemetryGetRunSummary',
  workflows: 'workflowsGetRunOverview',
  matching: 'matchingGetRun',
  taxonomy: 'taxonomyGetRun',
  samples: 'samplesGetRunSummary',
};

let main: MainProcess;
let child: ChildProcess;
let output: string;
let baseUrl: string;
let dir: string;

beforeAll(async () => {
  main = await startMainProcess();
  ({ child, baseUrl, dir } = main);
  output = main.output();
}, 150_000);

// The child every test reads is stopped only after the last of them, and how it stops is checked
// there: no test takes it away from another (test/reliability/drain.test.ts signals its own child).
afterAll(async () => {
  if (!main) return;
  const exited =
    child.exitCode === null
      ? new Promise<number | null>((resolve) => child.once('exit', resolve))
      : Promise.resolve(child.exitCode);
  child.kill('SIGTERM');
  const code = await exited;
  await main.close();
  expect(code, 'npm start exits 0 on SIGTERM').toBe(0);
});

describe('npm start (server/main.ts)', () => {
  test('prints each API URL, the docs URL and the demo keys', () => {
    expect(output).toContain(`run-api-contracts server on ${baseUrl}`);
    expect(output).toContain(`${baseUrl}/docs/`);
    for (const base of Object.values(APIS).map((api) => api.basePath)) {
      expect(output).toContain(`${baseUrl}${base}`);
    }
  });

  test('the demo manifest lists two tenants per API, runs in several statuses, and paths that answer 200', async () => {
    const manifest = JSON.parse(await readFile(join(dir, 'data', 'demo-manifest.json'), 'utf8')) as DemoManifest;
    expect(Object.keys(manifest.apis).sort()).toEqual([...API_NAMES].sort());
    for (const api of API_NAMES) {
      const tenants = manifest.apis[api]?.tenants ?? [];
      expect(tenants, api).toHaveLength(2);
      for (const tenant of tenants) {
        expect(new Set(tenant.runs.map((r) => r.status)).size, `${api} ${tenant.tenant}`).toBeGreaterThan(2);
        const done = tenant.runs.find((r) => ['completed', 'succeeded'].includes(r.status));
        expect(done, `${api} ${tenant.tenant} has a completed run`).toBeDefined();
        const res = await fetch(baseUrl + (done?.path ?? ''), {
          headers: { authorization: `Bearer ${tenant.apiKey}`, ...(tenant.headers ?? {}) },
        });
        expect(res.status, `${api} ${done?.path}`).toBe(200);
        const body = await res.json();
        expect(specValidator(api).validate(SEED_OPERATION[api] ?? '', 200, body).errors).toBe('No errors');
      }
    }
  });
});
