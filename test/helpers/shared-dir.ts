/**
 * globalSetup of the e2e project: one empty folder per run for test/helpers/shared-build.ts,
 * removed when the run ends. It builds nothing itself, so a run that needs no shared build
 * costs one mkdtemp.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'run-api-shared-'));
  project.provide('sharedBuildDir', dir);
  // Watch mode keeps the process between runs: each rerun starts from an empty folder again, so
  // an edit to the docs or the client is built anew rather than read from the run before.
  project.onTestsRerun(async () => {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir);
  });
  return () => rm(dir, { recursive: true, force: true });
}
