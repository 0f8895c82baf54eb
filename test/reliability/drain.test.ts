/**
 * SIGTERM drains keep-alive clients (issue item 6): `npm start`'s process under steady load from
 * 32 keep-alive clients gets SIGTERM; every request sent on an open connection is answered, the
 * answers after the signal say `Connection: close`, none is reset, and the process exits 0.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DemoManifest } from '../../server/demo.ts';

const CLIENTS = 32;
let dir: string;
let child: ChildProcess;
let output = '';
let baseUrl: string;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drain-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>docs</title>');
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  // The process under test runs on its own embedded store whatever CI sets: the drain is HTTP's.
  const { DATABASE_URL: _d, REDIS_URL: _r, ...env } = process.env;
  child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: {
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: join(dir, 'data'),
      DOCS_DIR: dir,
      LOG_LEVEL: 'warn',
      RATE_LIMIT: '1000000/60s',
      SHUTDOWN_GRACE_MS: '20000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (c) => {
    output += c;
  });
  child.stderr?.on('data', (c) => {
    output += c;
  });
  while (!output.includes('demo manifest:')) {
    if (child.exitCode !== null) throw new Error(`npm start did not come up:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}, 120_000);

afterAll(async () => {
  if (child.exitCode === null) child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

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
