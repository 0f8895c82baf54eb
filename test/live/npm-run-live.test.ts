/**
 * `npm run live` as a user starts it (server/main.ts --live, embedded PGlite in a folder of its
 * own, a short LIVE_TICK_MS): the manifest names one run per API about to start, and each of
 * those runs is polled from queued/pending to a terminal state through the live server, every
 * body valid and every move legal. The loop bounds how long it waits; it asserts no speed.
 */
import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { DemoTenant } from '../../server/core/types.ts';
import type { DemoManifest } from '../../server/demo-manifest.ts';
import type { ApiName } from '../../server/store/keys.ts';
import { type MainProcess, startMainProcess } from '../helpers/main-process.ts';
import { API_NAMES } from '../helpers/spec.ts';
import { LIFECYCLE, observe } from './observe.ts';

let main: MainProcess;
let child: ChildProcess;
let output: string;
let baseUrl: string;
let dir: string;

beforeAll(async () => {
  main = await startMainProcess({
    args: ['--live'],
    env: {
      LIVE_TICK_MS: '100',
      RATE_LIMIT: '100000',
    },
  });
  ({ child, baseUrl, dir } = main);
  output = main.output();
}, 150_000);

afterAll(() => main?.close());

test('the manifest names a run about to start per API, and each reaches a terminal state legally', async () => {
  expect(output).toContain('live mode: runs advance every 100 ms');
  const manifest = JSON.parse(await readFile(join(dir, 'data', 'demo-manifest.json'), 'utf8')) as DemoManifest;
  const get = (path: string, headers: Record<string, string>) => fetch(baseUrl + path, { headers });
  await Promise.all(
    API_NAMES.map(async (api: ApiName) => {
      const entry = manifest.apis[api];
      const run = entry?.liveRun;
      expect(run?.status, api).toBe(LIFECYCLE[api].first);
      const tenant = entry?.tenants.find((t) => t.tenant === run?.tenant) as DemoTenant;
      let seen = await observe(get, tenant, api, run as NonNullable<typeof run>);
      // 30 s of polling at most: the test waits for the end, it does not time it.
      for (let poll = 0; !LIFECYCLE[api].terminal.includes(seen.status); poll++) {
        expect(poll, `${api} still ${seen.status}`).toBeLessThan(300);
        await new Promise((r) => setTimeout(r, 100));
        const now = await observe(get, tenant, api, run as NonNullable<typeof run>);
        if (now.status !== seen.status) expect(LIFECYCLE[api].next[seen.status] ?? [], api).toContain(now.status);
        now.counters.forEach((c, i) => {
          expect(c, `${api} counter ${i}`).toBeGreaterThanOrEqual(seen.counters[i] ?? 0);
        });
        seen = now;
      }
    }),
  );
});

test('SIGTERM stops the ticker and the server cleanly', async () => {
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
});
