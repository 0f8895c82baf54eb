import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { joinedDocument } from './join.ts';

const require = createRequire(import.meta.url);

export interface MockOptions {
  /** Default: a free port. */
  port?: number;
  host?: string;
  /** Generate bodies from the schemas instead of answering the named examples. */
  dynamic?: boolean;
  /** Makes generated bodies (--dynamic or `Prefer: dynamic=true`) the same on every run. */
  seed?: string | number;
  /** Upstream URL: run Prism's validation proxy in front of it instead of the mock. */
  proxy?: string;
  /** Each line Prism logs once it listens (request logs, contract violations). */
  onLog?: (line: string) => void;
}

export interface RunningMock {
  url: string;
  /** The joined document Prism serves. */
  document: string;
  close(): Promise<void>;
}

/** Starts the real Prism process over all five APIs and resolves once it listens. */
export async function startMock(options: MockOptions = {}): Promise<RunningMock> {
  const document = await joinedDocument();
  if (options.port !== undefined) return launch(document, options.port, options);
  // A borrowed free port can be taken before Prism binds it (parallel test files): borrow again.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort(options.host ?? '127.0.0.1');
    try {
      return await launch(document, port, options);
    } catch (error) {
      if (attempt >= 3 || !String(error).includes('EADDRINUSE')) throw error;
    }
  }
}

async function launch(document: string, port: number, options: MockOptions): Promise<RunningMock> {
  const host = options.host ?? '127.0.0.1';
  // faker-seed.cjs makes --seed cover the x-faker hints too (Prism seeds only json-schema-faker).
  const args = [
    '--require',
    require.resolve('./faker-seed.cjs'),
    require.resolve('@stoplight/prism-cli/dist/index.js'),
  ];
  if (options.proxy) args.push('proxy', document, options.proxy);
  else args.push('mock', document);
  args.push('--port', String(port), '--host', host);
  if (options.dynamic) args.push('--dynamic');
  if (options.seed !== undefined) args.push('--seed', String(options.seed));
  const env = { ...process.env, RUN_API_MOCK_SEED: options.seed === undefined ? '' : String(options.seed) };
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  // Never leave a Prism behind when the process that started it ends without closing it.
  const orphanGuard = () => child.kill();
  process.once('exit', orphanGuard);
  child.once('exit', () => process.off('exit', orphanGuard));
  const url = await listening(child, options.onLog).catch(async (error: unknown) => {
    await stop(child);
    throw error;
  });
  return { url, document, close: () => stop(child) };
}

function listening(child: ChildProcess, onLog?: (line: string) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    let started = false;
    let early = '';
    const onLine = (line: string) => {
      if (started) return onLog?.(line);
      early += `${line}\n`;
      const match = /Prism is listening on (\S+)/.exec(line);
      if (match?.[1]) {
        started = true;
        resolve(match[1].replace(/\/$/, ''));
      }
    };
    for (const stream of [child.stdout, child.stderr]) {
      let buffer = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        buffer += chunk;
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) onLine(line);
      });
      stream?.on('end', () => buffer && onLine(buffer));
    }
    child.once('error', reject);
    // 'close' waits for the output to drain, so the reason for an early exit is in `early`.
    child.once('close', (code) => {
      if (!started) reject(new Error(`Prism exited with ${code} before listening:\n${early.slice(-4000)}`));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Prism wants a port number up front, so borrow one from the OS and hand it over. */
async function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
