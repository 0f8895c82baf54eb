import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface MainProcess {
  child: ChildProcess;
  baseUrl: string;
  /** Its own folder: DATA_DIR is `dir/data`, DOCS_DIR is `dir` (an index already there). */
  dir: string;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** SIGKILL if still running, and the folder removed. */
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * `npm start`'s process (server/main.ts under tsx) on a free port, resolved once it has printed
 * its demo manifest. It always runs on embedded PGlite in a folder of its own, whatever CI sets,
 * and never builds docs: its DOCS_DIR already has an index.
 */
export async function startMainProcess(
  options: { args?: string[]; env?: Record<string, string> } = {},
): Promise<MainProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'main-process-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>docs</title>');
  const port = await freePort();
  const { DATABASE_URL: _d, REDIS_URL: _r, ...env } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', ...(options.args ?? [])], {
    env: {
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: join(dir, 'data'),
      DOCS_DIR: dir,
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  for (const stream of [child.stdout, child.stderr]) stream?.on('data', (c) => (output += c));
  const close = async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  };
  // Bounded by polls, not by a clock: a busy machine only makes it slower.
  for (let i = 0; !output.includes('demo manifest:'); i++) {
    if (child.exitCode !== null || i > 600) {
      await close();
      throw new Error(`server/main.ts did not come up:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { child, baseUrl: `http://127.0.0.1:${port}`, dir, output: () => output, close };
}
