import { defineConfig } from 'vitest/config';

/**
 * The unit tier: pure functions and middleware in process, with no store, no port, no child process,
 * no Prism and no Chromium, so `npm run test:unit` answers in seconds. Listed by name: a new test file
 * lands in e2e until someone decides it belongs here.
 */
export const UNIT_TESTS = [
  'test/architecture/*.test.ts',
  'test/client/react-query.test.ts',
  'test/client/retry.test.ts',
  'test/component/polling.test.tsx',
  'test/mock/readme-scenarios.test.ts',
  'test/msw/handlers.test.ts',
  'test/msw/sequence.test.ts',
  'test/packaging/versions.test.ts',
  'test/server/batch.test.ts',
  'test/server/config.test.ts',
  'test/server/cursor-codec.test.ts',
  'test/server/operating-config.test.ts',
  'test/server/principal-cache-loads.test.ts',
  'test/server/stable-uuid.test.ts',
  'test/server/store-boundary.test.ts',
  'test/server/to-problem.test.ts',
  'test/spec-diff/rules.test.ts',
  'test/spec-diff/schema.test.ts',
  'test/spec/examples.test.ts',
  'test/spec/response-bounds.test.ts',
  'test/workflows/select-workspace.test.ts',
];

export default defineConfig({
  test: {
    pool: 'forks',
    // Vitest's default on a 2-core machine is one worker (cores - 1), so the files ran one at a
    // time. Most e2e files wait on PostgreSQL, Redis, child processes or Chromium, and each has its
    // own schema, key prefix and ports: two at a time keep both cores busy.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT_TESTS } },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
          exclude: UNIT_TESTS,
          // One folder per run where the docs and the packed client are built once, for every file.
          globalSetup: ['test/helpers/shared-dir.ts'],
          // Each file starts its own PGlite (WASM) or PostgreSQL schema; Prism and Chromium take seconds to start.
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
    // `npm run coverage` only: instrumenting every fork slows the default run.
    coverage: {
      provider: 'v8',
      include: ['{openapi,server,client,mocks,scripts}/**/*.{ts,tsx,js}'],
      reporter: ['text-summary', 'json-summary'],
      reportOnFailure: true,
      // Just under what the unit tier plus the in-process server tests measured on 2026-12-02 (statements
      // 45.6%, branches 41.0%, functions 44.9%, lines 47.6%); a whole run covers more. Raise, never lower.
      thresholds: { statements: 45, branches: 40, functions: 44, lines: 47 },
    },
  },
});
