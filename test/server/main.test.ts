import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { APIS } from '../../generated/apis.ts';
import type { DemoManifest } from '../../server/demo.ts';
import { API_NAMES, specValidator } from '../helpers/spec.ts';

const SEED_OPERATION: Record<string, string> = {
  telemetry: 'telemetryGetRunSummary',
  workflows: 'workflowsGetRunOverview',
  matching: 'matchingGetRun',
  taxonomy: 'taxonomyGetRun',
  samples: 'samplesGetRunSummary',
};

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let dir: string;
let child: ChildProcess;
let output = '';
let baseUrl: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'main-'));
  // A docs folder that already has an index: npm start must not rebuild it (that has its own test).
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>docs</title>');
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  // The server under test always runs on embedded PGlite in its own folder, whatever CI sets.
  const { DATABASE_URL: _d, REDIS_URL: _r, ...env } = process.env;
  child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: {
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: join(dir, 'data'),
      DOCS_DIR: dir,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (c) => {
    output += c;
  });
  child.stderr?.on('data', (c) => {
    output += c;
  });
  const started = Date.now();
  while (!output.includes('demo manifest:')) {
    if (child.exitCode !== null || Date.now() - started > 90_000)
      throw new Error(`npm start did not come up:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}, 120_000);

afterAll(async () => {
  if (child.exitCode === null) child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
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

  test('SIGTERM stops it cleanly', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
