import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { APIS } from '../../generated/apis.ts';
import { registry } from '../../server/apis/registry.ts';
import type { DemoManifest } from '../../server/demo-manifest.ts';
import { openStore } from '../../server/store/open.ts';
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
  // At info, for the line that says how many demo bodies were stored.
  main = await startMainProcess({ env: { LOG_LEVEL: 'info' } });
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
  try {
    expect(code, 'npm start exits 0 on SIGTERM').toBe(0);
    // Its folder, now free (PGlite is one process per folder): each terminal demo run's body is there.
    const db = await openStore({ dataDir: join(dir, 'data', 'pglite') });
    try {
      const rows = await db.query<{ key: string }>('SELECT key FROM final_bodies');
      const urls = new Set(rows.map((r) => r.key.slice(r.key.lastIndexOf('\n') + 1)));
      for (const path of (await terminalDemoRuns()).map((r) => r.path)) expect(urls.has(path), path).toBe(true);
    } finally {
      await db.close();
    }
  } finally {
    await main.close();
  }
}, 60_000);

/** The manifest's runs in a status their API treats as final. */
async function terminalDemoRuns() {
  const manifest = JSON.parse(await readFile(join(dir, 'data', 'demo-manifest.json'), 'utf8')) as DemoManifest;
  return registry.flatMap((api) =>
    (manifest.apis[api.name]?.tenants ?? []).flatMap((t) => t.runs.filter((r) => api.finalStatuses.includes(r.status))),
  );
}

describe('npm start (server/main.ts)', () => {
  test('after the banner, stores the body of every terminal demo run in the background, and says how many', async () => {
    // Polled, not timed: the line comes once the writer has read every run.
    let line: { msg: string; stored: number; skipped: number; refused: number; failed: number } | undefined;
    for (let poll = 0; !line; poll++) {
      expect(poll, 'no "demo runs" line').toBeLessThan(600);
      line = main
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l))
        .find((l) => typeof l.msg === 'string' && l.msg.startsWith('demo runs:'));
      if (!line) await new Promise((r) => setTimeout(r, 100));
    }
    const runs = await terminalDemoRuns();
    expect(runs.length).toBeGreaterThan(10);
    // A new data folder: every one rendered and stored, none already there, none refused.
    expect(line).toMatchObject({ stored: runs.length, skipped: 0, refused: 0, failed: 0 });
    expect(line.msg).toBe(`demo runs: ${runs.length} final bodies stored`);
    // The banner (the server already listening) came first.
    expect(main.output().indexOf('demo manifest:')).toBeLessThan(main.output().indexOf('"demo runs:'));
  });

  test("prints each API's base path and reference page, the docs URL and the demo keys", () => {
    expect(output).toContain(`run-api-contracts server on ${baseUrl}`);
    expect(output).toContain(`reference docs: ${baseUrl}/docs/`);
    for (const [name, api] of Object.entries(APIS)) {
      expect(output).toContain(`(${name}), paths under ${api.basePath}: ${baseUrl}/docs/${name}.html`);
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
