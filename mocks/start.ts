import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
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
  /**
   * Prism's own log level (`-v`), default info. Below info Prism does not announce that it
   * listens, so readiness is then found by connecting to the port.
   */
  logLevel?: PrismLogLevel;
  /** The joined document to serve; default the one the tools package ships, else joined now. */
  document?: string;
}

export const PRISM_LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type PrismLogLevel = (typeof PRISM_LOG_LEVELS)[number];

// The tools package ships the five documents already joined (npm run build), so it needs no Redocly.
const SHIPPED_DOCUMENT = fileURLToPath(new URL('../generated/openapi/all-apis.json', import.meta.url));

export interface RunningMock {
  url: string;
  /** The joined document Prism serves. */
  document: string;
  close(): Promise<void>;
}

/** Starts the real Prism process over all five APIs and resolves once it listens. */
export async function startMock(options: MockOptions = {}): Promise<RunningMock> {
  const document = options.document ?? (existsSync(SHIPPED_DOCUMENT) ? SHIPPED_DOCUMENT : await joinedDocument());
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
  const quiet = options.logLevel !== undefined && !['trace', 'debug', 'info'].includes(options.logLevel);
  if (options.logLevel) args.push('-v', options.logLevel);
  const env = { ...process.env, RUN_API_MOCK_SEED: options.seed === undefined ? '' : String(options.seed) };
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  // Never leave a Prism behind when the process that started it ends without closing it.
  const orphanGuard = () => child.kill();
  process.once('exit', orphanGuard);
  child.once('exit', () => process.off('exit', orphanGuard));
  const ready = quiet ? accepting(child, host, port, options.onLog) : listening(child, options.onLog);
  const url = await ready.catch(async (error: unknown) => {
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

/** For a quiet Prism: polls the port until it accepts (bounded), passing every line on. */
function accepting(child: ChildProcess, host: string, port: number, onLog?: (line: string) => void): Promise<string> {
  let early = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      early = (early + chunk).slice(-4000);
      for (const line of chunk.split('\n')) if (line) onLog?.(line);
    });
  }
  const deadline = Date.now() + 60_000;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      // The reason (EADDRINUSE, a bad document) is in its output: startMock retries on a taken port.
      if (child.exitCode !== null)
        return reject(new Error(`Prism exited with ${child.exitCode} before listening:\n${early}`));
      const socket = connect(port, host);
      socket.once('connect', () => {
        socket.destroy();
        resolve(`http://${host}:${port}`);
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`Prism did not listen on ${host}:${port} within 60 s`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
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
