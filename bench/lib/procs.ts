import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';

const require = createRequire(import.meta.url);
export const ROOT = new URL('../../', import.meta.url);
const TSX = ['--import', 'tsx'];

/** Every child still running, killed when the bench exits: one exit listener, not one per child. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const proc of live) proc.kill('SIGKILL');
});
const track = (proc: ChildProcess) => {
  live.add(proc);
  proc.once('exit', () => live.delete(proc));
};

export interface Child {
  name: string;
  url: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/** Spawns a server process and resolves with its URL once it prints `listening <url>` (or Prism's line). */
export function startChild(name: string, args: string[], env: Record<string, string> = {}, timeoutMs = 120_000) {
  return new Promise<Child>((resolve, reject) => {
    const proc = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let seen = '';
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`${name} did not start:\n${seen.slice(-2000)}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const m = /listening (?:on )?(http:\/\/\S+)/i.exec(seen);
      if (!m?.[1]) return;
      clearTimeout(timer);
      proc.stdout?.off('data', onData);
      proc.stderr?.off('data', onData);
      proc.stdout?.resume();
      proc.stderr?.resume();
      resolve({ name, url: m[1].replace(/\/$/, ''), proc, stop: () => stopChild(proc) });
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before listening:\n${seen.slice(-2000)}`));
    });
    track(proc);
  });
}

export function stopChild(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => proc.kill('SIGKILL'), 5_000);
    proc.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    proc.kill('SIGTERM');
  });
}

export const tsxScript = (path: string, ...args: string[]) => [...TSX, path, ...args];
export const prismCli = () => require.resolve('@stoplight/prism-cli/dist/index.js');

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  non2xx: number;
  requests: number;
  /** Answers with a 2xx status: what CPU per request is divided by. */
  ok: number;
  /** CPU the server used during the cell (ms), or null where it cannot be read. */
  cpuMs?: number | null;
}

export interface LoadSpec {
  url: string;
  paths: string[];
  headers: Record<string, string>;
  connections: number;
  duration?: number;
  amount?: number;
}

/** bench/load.ts in a process of its own, kept for the whole run: one spec in, one result out. */
export function startLoader(): { load(spec: LoadSpec): Promise<LoadResult>; close(): void } {
  const proc = spawn(process.execPath, [...TSX, 'bench/load.ts'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  track(proc);
  const waiting: Array<{ resolve: (r: LoadResult) => void; reject: (e: Error) => void }> = [];
  proc.once('exit', (code) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`load generator exited (${code})`));
  });
  let buffer = '';
  proc.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      waiting.shift()?.resolve(JSON.parse(line) as LoadResult);
    }
  });
  let queue = Promise.resolve();
  return {
    load(spec) {
      const result = queue.then(
        () =>
          new Promise<LoadResult>((resolve, reject) => {
            waiting.push({ resolve, reject });
            proc.stdin?.write(`${JSON.stringify(spec)}\n`);
          }),
      );
      queue = result.then(
        () => undefined,
        () => undefined,
      );
      return result;
    },
    close: () => proc.stdin?.end(),
  };
}

/** Resident set size of a process in MB (Linux /proc), or null elsewhere. */
export function rssMb(pid: number | undefined): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m?.[1] ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

/** Polls `url` until it answers 200; milliseconds since `t0`, or null after `limitMs`. */
export async function firstAnswer(url: string, headers: Record<string, string>, t0: number, limitMs = 60_000) {
  while (performance.now() - t0 < limitMs) {
    const ok = await fetch(url, { headers })
      .then(async (r) => {
        await r.arrayBuffer();
        return r.status === 200;
      })
      .catch(() => false);
    if (ok) return Math.round(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 20));
  }
  return null;
}

let clockTicks: number | undefined;
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/**
 * CPU time a process has used so far, in ms (Linux /proc), or null elsewhere. The sum of its
 * threads' scheduler run time (/proc/<pid>/task/<tid>/schedstat, nanoseconds) where readable:
 * utime+stime in /proc/<pid>/stat count whole clock ticks (10 ms), a tenth of a 100 ms cold
 * burst. Falls back to utime+stime.
 */
export function cpuMs(pid: number | undefined): number | null {
  if (!pid) return null;
  let ns = 0;
  let read = 0;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
        read++;
      } catch {
        // the thread ended between the listing and its read
      }
    }
  } catch {
    // no such process, or no /proc: utime+stime below
  }
  if (read > 0 && Number.isFinite(ns)) return ns / 1e6;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces), from field 3: utime is 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond();
  } catch {
    return null;
  }
}
