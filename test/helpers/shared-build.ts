/**
 * Builds that several test files read but none changes (the reference docs, the packed client
 * package) are made once per `vitest run` instead of once per file. test/helpers/shared-dir.ts (a
 * globalSetup) hands every worker one empty folder for the run; the first file to ask for a build
 * makes it there and the others, in the same or the other worker, wait for it and reuse it. Built
 * lazily, so a run of files that need none of them pays nothing, and afresh every run, so a test
 * never reads a stale build. The folder goes when the run ends.
 */
import { mkdir, mkdtemp, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    sharedBuildDir: string;
  }
}

/**
 * The result of `build(dir)` for `name`, built in `dir` by the first caller of the run; every
 * later caller gets the same result (it must survive JSON). A failed build fails every caller
 * with its message.
 */
export async function sharedBuild<T>(name: string, build: (dir: string) => Promise<T>): Promise<T> {
  const root = inject('sharedBuildDir');
  // Without the globalSetup (another config running this file) the build is this file's own.
  if (!root) return build(await mkdtemp(join(tmpdir(), `run-api-${name}-`)));
  const dir = join(root, name);
  const done = join(root, `${name}.json`);
  const failed = join(root, `${name}.failed`);
  try {
    await mkdir(dir); // atomic: exactly one caller of the run creates it, and builds
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return waitFor<T>(done, failed);
  }
  try {
    const result = await build(dir);
    // Written whole, then renamed: a waiter never reads half a file.
    await writeFile(`${done}.partial`, JSON.stringify({ result }));
    await rename(`${done}.partial`, done);
    return result;
  } catch (error) {
    await writeFile(failed, error instanceof Error ? (error.stack ?? error.message) : String(error));
    throw error;
  }
}

/** Polls until the builder has written its result or its failure; the hook's timeout bounds the wait. */
async function waitFor<T>(done: string, failed: string): Promise<T> {
  for (;;) {
    const result = await readFile(done, 'utf8').catch(() => undefined);
    if (result !== undefined) return (JSON.parse(result) as { result: T }).result;
    const failure = await readFile(failed, 'utf8').catch(() => undefined);
    if (failure !== undefined) throw new Error(`the shared build failed in another test file:\n${failure}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
