/**
 * The tools package as a CI job or a frontend repository uses it: `npm pack`, installed alone into
 * an empty scratch project, then `npx run-api-mock` answers on a port and `npx run-api-contract`
 * checks the reference server: exit 0 and valid JUnit XML when it keeps the contract, exit 1 with
 * the failure in the XML when a bug is planted in it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { scenariosOf } from '../../mocks/scenarios.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { cleanEnv, npmInstall, packTarball, run, workDir, writeProject } from './scratch.ts';

// Each step runs a real npx, tsc, vite or node process: a busy CI machine can take minutes.
const STEP_TIMEOUT = 300_000;
let work = '';
let app: string;
let server: TestServer;
let buggy: TestServer;
const children: ChildProcess[] = [];

// The contract run sends hundreds of requests with one key; the default budget would answer 429.
const NO_RATE_LIMIT = { rateLimit: { limit: 1e9 } };

async function manifestOf(target: TestServer, file: string): Promise<string> {
  const apis = Object.fromEntries(Object.entries(target.demo).map(([api, tenants]) => [api, { tenants }]));
  const path = join(app, file);
  await writeFile(path, JSON.stringify({ baseUrl: target.url, apis }));
  return path;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** `npx run-api-mock ...` in its own process group; resolves with the URL it prints once listening. */
function startNpxMock(args: string[]): Promise<string> {
  const child = spawn('npx', ['--no-install', 'run-api-mock', ...args], {
    cwd: app,
    env: cleanEnv(),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      const url = /all five APIs on (http:\/\/\S+)/.exec(output)?.[1];
      if (url) resolve(url);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`run-api-mock exited ${code} before listening:\n${output}`)));
  });
}

beforeAll(async () => {
  work = await workDir('tools');
  const tarball = await packTarball('tools', work);
  app = join(work, 'app');
  await writeProject(app, {
    'package.json': {
      name: 'ci-job',
      private: true,
      devDependencies: { '@run-api-contracts/tools': `file:${tarball}` },
    },
  });
  await npmInstall(app);
  server = await startTestServer(NO_RATE_LIMIT);
  buggy = await server.sibling({
    ...NO_RATE_LIMIT,
    // The planted bug: the summary's run_id comes back as a string, and nothing stops it.
    validateResponses: false,
    handlerOverrides: {
      samplesGetRunSummary: ({ res, params }) => {
        res.status(200).json({ run_id: String(params.run_id), total_samples: 1 });
      },
    },
  });
}, 600_000);

afterAll(async () => {
  for (const child of children) if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
  await buggy?.close();
  await server?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the tools package installed alone', { timeout: STEP_TIMEOUT }, () => {
  test('npx run-api-mock answers the named examples on a port', async () => {
    const url = await startNpxMock(['--port', String(await freePort()), '--quiet']);
    const response = await fetch(`${url}/api/v1/runs/7/summary`, {
      headers: { Authorization: 'Bearer any', Prefer: 'example=run_with_failures' },
    });
    expect(response.status).toBe(200);
    const wanted = scenariosOf('samplesGetRunSummary').scenarios.find((s) => s.key === 'run_with_failures');
    expect(await response.json()).toEqual(wanted?.value);
  });

  test('a plain node .mjs starts the mock through the library export on a free port', async () => {
    const script = [
      "import { startMock } from '@run-api-contracts/tools/mock';",
      'const mock = await startMock({ logLevel: "silent" });',
      "const res = await fetch(mock.url + '/v1/matching/runs', { headers: { Authorization: 'Bearer t' } });",
      'console.log(JSON.stringify({ status: res.status, body: await res.json() }));',
      'await mock.close();',
    ].join('\n');
    await writeProject(app, { 'start-mock.mjs': script });
    const out = await run(process.execPath, ['start-mock.mjs'], app);
    expect(out.code, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({
      status: 200,
      body: scenariosOf('matchingListRuns').scenarios[0]?.value,
    });
  });

  test('npx run-api-mock --list prints the scenario table', async () => {
    const out = await run('npx', ['--no-install', 'run-api-mock', '--list'], app);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('| samples | `samplesGetRunSummary` | 200 |');
  });

  test('npx run-api-contract passes the reference server and writes valid JUnit XML', async () => {
    const manifest = await manifestOf(server, 'manifest.json');
    const args = ['--target', server.url, '--manifest', manifest, '--junit', 'report.xml', '--wait-429', '0'];
    const out = await run('npx', ['--no-install', 'run-api-contract', ...args], app);
    expect(out.code, `${out.stdout}\n${out.stderr}`).toBe(0);
    const xml = await readFile(join(app, 'report.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({
      ignoreAttributes: false,
      isArray: (name) => ['testsuite', 'testcase'].includes(name),
    }).parse(xml);
    const suites = parsed.testsuites.testsuite as Array<Record<string, unknown>>;
    expect(suites).toHaveLength(11);
    expect(parsed.testsuites['@_failures']).toBe('0');
    expect(Number(parsed.testsuites['@_tests'])).toBeGreaterThan(50);
    for (const suite of suites) expect((suite.testcase as unknown[]).length).toBeGreaterThan(0);
  });

  test('a planted bug in the target: exit 1, and the failure is in the XML', async () => {
    const manifest = await manifestOf(buggy, 'buggy.json');
    const args = ['--target', buggy.url, '--manifest', manifest, '--api', 'samples', '--junit', 'bug.xml'];
    const out = await run('npx', ['--no-install', 'run-api-contract', ...args, '--wait-429', '0'], app);
    expect(out.code, out.stdout).toBe(1);
    const xml = await readFile(join(app, 'bug.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({
      ignoreAttributes: false,
      isArray: (name) => ['testsuite', 'testcase'].includes(name),
    }).parse(xml);
    const summary = (parsed.testsuites.testsuite as Array<Record<string, unknown>>).find((s) =>
      String(s['@_name']).includes('samplesGetRunSummary'),
    );
    const failing = ((summary?.testcase ?? []) as Array<Record<string, unknown>>).filter((c) => c.failure);
    expect(failing.map((c) => c['@_name'])).toContain('response_schema_conformance');
    expect(JSON.stringify(failing)).toContain('/run_id');
    const list = (parsed.testsuites.testsuite as Array<Record<string, unknown>>).find((s) =>
      String(s['@_name']).includes('samplesListRuns'),
    );
    expect(list?.['@_failures']).toBe('0');
  });

  test('--json prints the report as JSON on stdout', async () => {
    const manifest = await manifestOf(buggy, 'buggy.json');
    const args = ['--target', buggy.url, '--manifest', manifest, '--api', 'samples', '--json', '--wait-429', '0'];
    const out = await run('npx', ['--no-install', 'run-api-contract', ...args], app);
    expect(out.code).toBe(1);
    const report = JSON.parse(out.stdout) as {
      failures: number;
      operations: Array<{ operationId: string; failuresByCheck: object }>;
    };
    expect(report.failures).toBeGreaterThan(0);
    expect(report.operations.find((o) => o.operationId === 'samplesGetRunSummary')?.failuresByCheck).toHaveProperty(
      'response_schema_conformance',
    );
  });

  test('bad usage exits 2', async () => {
    const out = await run('npx', ['--no-install', 'run-api-contract', '--api', 'samples'], app);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('--target is required');
    const unknown = await run(
      'npx',
      ['--no-install', 'run-api-contract', '--target', 'http://127.0.0.1:9', '--bogus'],
      app,
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--bogus'");
  });

  test('run-api-mock: bad usage exits 2 with the usage', async () => {
    for (const args of [['--bogus'], ['--port', 'eighty'], ['--proxy']]) {
      const out = await run('npx', ['--no-install', 'run-api-mock', ...args], app);
      expect(out.code, args.join(' ')).toBe(2);
      expect(out.stderr, args.join(' ')).toContain('usage: run-api-mock');
    }
  });
});
