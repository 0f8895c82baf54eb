/**
 * SIGTERM drains keep-alive clients (issue item 6): `npm start`'s process under steady load from
 * 32 keep-alive clients gets SIGTERM; every request sent on an open connection is answered, the
 * answers after the signal say `Connection: close`, none is reset, and the process exits 0.
 */
import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DemoManifest } from '../../server/demo-manifest.ts';
import { type MainProcess, startMainProcess } from '../helpers/main-process.ts';

const CLIENTS = 32;
let main: MainProcess;
let child: ChildProcess;
let baseUrl: string;
let dir: string;

beforeAll(async () => {
  main = await startMainProcess({
    env: {
      RATE_LIMIT: '1000000/60s',
      SHUTDOWN_GRACE_MS: '20000',
    },
  });
  ({ child, baseUrl, dir } = main);
}, 150_000);

afterAll(() => main?.close());

interface Outcome {
  status: number;
  connection: string | undefined;
  afterSignal: boolean;
}

describe('SIGTERM under keep-alive load', () => {
  test(`${CLIENTS} keep-alive clients: 0 failed or reset requests, Connection: close after the signal, exit 0`, async () => {
    const manifest = JSON.parse(await readFile(join(dir, 'data', 'demo-manifest.json'), 'utf8')) as DemoManifest;
    const tenant = manifest.apis.samples?.tenants[0];
    const path = tenant?.runs.find((r) => r.status === 'completed')?.path ?? '';
    const headers = { authorization: `Bearer ${tenant?.apiKey}` };
    let signalled = false;
    const failures: string[] = [];
    const outcomes: Outcome[][] = Array.from({ length: CLIENTS }, () => []);

    const once = (agent: Agent) =>
      new Promise<Outcome>((resolve, reject) => {
        const req = request(baseUrl + path, { agent, headers });
        req.on('response', (res) => {
          res.resume();
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, afterSignal: signalled }),
          );
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end();
      });

    // Each client keeps one connection busy until the server tells it to go (Connection: close).
    const clients = outcomes.map(async (mine, i) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        for (;;) {
          const outcome = await once(agent);
          mine.push(outcome);
          if (outcome.connection === 'close') return;
        }
      } catch (err) {
        failures.push(`client ${i}: ${(err as Error).message}`);
      } finally {
        agent.destroy();
      }
    });
    while (outcomes.some((o) => o.length < 3)) await new Promise((r) => setTimeout(r, 20));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    signalled = true;
    child.kill('SIGTERM');
    await Promise.all(clients);
    expect(failures).toEqual([]);
    expect(await exited).toBe(0);
    for (const mine of outcomes) {
      expect(mine.every((o) => o.status === 200)).toBe(true);
      expect(mine.at(-1)?.connection).toBe('close');
      // Before the signal no one was sent away.
      expect(mine.filter((o) => !o.afterSignal && o.connection === 'close')).toEqual([]);
    }
  });
});
