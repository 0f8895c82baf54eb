/**
 * The client package as a frontend team uses it: packed, installed into a Vite react-ts app the
 * test writes (with msw, React Query and vitest), then `tsc` under the template's flags and under
 * nodenext, `vite build`, and the app's own vitest run (happy-dom) with the package's MSW handlers
 * and React Query hook. The `@ts-expect-error` lines prove a scenario-key typo and a wrongly shaped
 * override body fail tsc (an unused expect-error would fail it too).
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  API_TS,
  APP_TEST_TSX,
  INDEX_HTML,
  MAIN_TSX,
  MOCK_TYPES_TS,
  NODE_SCRIPT_TS,
  README_CONTEXT_D_TS,
  RUNS_TSX,
  readmeSamples,
  TSCONFIG_APP,
  TSCONFIG_NODE,
  TSCONFIG_README,
} from './frontend-app.ts';
import { must, npmInstall, repoVersion, run, sharedTarball, workDir, writeProject } from './scratch.ts';

// Each step runs a real npx, tsc, vite or node process: a busy CI machine can take minutes.
const STEP_TIMEOUT = 300_000;
let work = '';
let app: string;

const pinned = async (names: string[]) =>
  Object.fromEntries(await Promise.all(names.map(async (n) => [n, await repoVersion(n)] as const)));

beforeAll(async () => {
  work = await workDir('frontend');
  const tarball = await sharedTarball('client');
  app = join(work, 'app');
  await writeProject(app, {
    'package.json': {
      name: 'frontend-app',
      private: true,
      type: 'module',
      dependencies: {
        '@run-api-contracts/client': `file:${tarball}`,
        ...(await pinned(['react', 'react-dom', '@tanstack/react-query', 'openapi-react-query'])),
      },
      devDependencies: await pinned([
        'typescript',
        'vite',
        'vitest',
        'happy-dom',
        'msw',
        '@types/react',
        '@types/react-dom',
        '@types/node',
      ]),
    },
    'tsconfig.app.json': TSCONFIG_APP,
    'tsconfig.node.json': TSCONFIG_NODE,
    'index.html': INDEX_HTML,
    'src/api.ts': API_TS,
    'src/mock-types.ts': MOCK_TYPES_TS,
    'src/RunStatus.tsx': RUNS_TSX,
    'src/main.tsx': MAIN_TSX,
    'src/App.test.tsx': APP_TEST_TSX,
    'scripts/check.ts': NODE_SCRIPT_TS,
  });
  await npmInstall(app);
}, 900_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('a Vite react-ts app with the client package', { timeout: STEP_TIMEOUT }, () => {
  test('tsc passes under the template flags (bundler resolution)', async () => {
    const out = await run('npx', ['--no-install', 'tsc', '-p', 'tsconfig.app.json'], app);
    expect(out.stdout + out.stderr).toBe('');
    expect(out.code).toBe(0);
  });

  test('tsc passes under nodenext, with the package .d.ts checked', async () => {
    const out = await run('npx', ['--no-install', 'tsc', '-p', 'tsconfig.node.json'], app);
    expect(out.stdout + out.stderr).toBe('');
    expect(out.code).toBe(0);
  });

  test('without the @ts-expect-error lines, the typo and the wrong body are tsc errors', async () => {
    await writeProject(app, { 'src/mock-types.ts': MOCK_TYPES_TS.replace(/\/\/ @ts-expect-error.*\n/g, '') });
    const out = await run('npx', ['--no-install', 'tsc', '-p', 'tsconfig.app.json'], app);
    await writeProject(app, { 'src/mock-types.ts': MOCK_TYPES_TS });
    expect(out.code).not.toBe(0);
    expect(out.stdout).toContain(`'"run_with_failure"' is not assignable`);
    expect(out.stdout).toContain("Type 'string' is not assignable to type 'number'");
    expect(out.stdout.match(/error TS/g)).toHaveLength(2);
  });

  test("every TypeScript sample in the README compiles in the app, under the template's strict flags", async () => {
    const samples = readmeSamples(await readFile(join(import.meta.dirname, '../../README.md'), 'utf8'));
    expect(samples.length).toBeGreaterThanOrEqual(8);
    await writeProject(app, {
      'tsconfig.readme.json': TSCONFIG_README,
      'readme/context.d.ts': README_CONTEXT_D_TS,
      ...Object.fromEntries(samples.map(({ file, code }) => [file, code])),
    });
    const out = await run('npx', ['--no-install', 'tsc', '-p', 'tsconfig.readme.json'], app);
    expect(out.stdout + out.stderr).toBe('');
    expect(out.code).toBe(0);
  });

  test('vite build bundles it, without server code', async () => {
    await must('npx', ['--no-install', 'vite', 'build', '--logLevel', 'error'], app);
    const assets = await readdir(join(app, 'dist/assets'));
    const js = assets.filter((f) => f.endsWith('.js'));
    expect(js.length).toBeGreaterThan(0);
    const bundle = (await Promise.all(js.map((f) => readFile(join(app, 'dist/assets', f), 'utf8')))).join('\n');
    expect(bundle).toContain('/v1/matching/runs/{id}');
    expect(bundle).not.toMatch(/express|pglite|ioredis/i);
  });

  test("the app's vitest run (happy-dom) passes with the package's MSW handlers and React Query hook", async () => {
    const out = await run(
      'npx',
      ['--no-install', 'vitest', 'run', '--environment', 'happy-dom', '--testTimeout', '60000'],
      app,
    );
    expect(out.code, `${out.stdout}\n${out.stderr}`).toBe(0);
    expect(out.stdout).toMatch(/Tests\s+\S*2 passed/);
  });
});
