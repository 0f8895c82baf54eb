import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { APIS } from '../generated/apis.ts';
import { createApp, storedBodyVersion } from './app.ts';
import type { ApiName, DemoTenant } from './core/types.ts';
import { finalKeyOf } from './http/final-runs.ts';
import type { Db } from './store/db.ts';
import { storedFinalKeys } from './store/final-bodies.ts';

/** One run to render: its seed operation's URL, its tenant and the headers of a client allowed to read it. */
export interface FinalRead {
  api: ApiName;
  tenant: string;
  path: string;
  headers: Record<string, string>;
}

/** The reads of `paths` (runs of `tenant`) with that demo tenant's key and headers. */
export const demoReads = (api: ApiName, tenant: DemoTenant, paths: readonly string[]): FinalRead[] => {
  const headers = { authorization: `Bearer ${tenant.apiKey}`, ...(tenant.headers ?? {}) };
  return paths.map((path) => ({ api, tenant: tenant.tenant, path, headers }));
};

/** What became of a store() call's reads. Every read is in exactly one of these. */
export interface StoreOutcome {
  /** Read and now stored. */
  stored: number;
  /** Already stored at the current version: not read again. */
  skipped: number;
  /** Answered other than 200 (a wrong key, an unknown run): nothing stored. */
  refused: Array<{ path: string; status: number }>;
  /** No answer (timeout, writer closed, no app), or a 200 left unstored (a run still open, a failed write). */
  failed: Array<{ path: string; error: string }>;
}

export interface FinalBodyWriterOptions {
  jwtSecret?: string | undefined;
  /** Reads in flight at once, over every store() call (PGlite answers one query at a time; PostgreSQL takes several). */
  concurrency?: number;
  /** The longest wait for one loopback read (default 30 s). */
  readTimeoutMs?: number;
  /** Where the writer's app logs (a failed write, a body the contract refused); silent by default. */
  logger?: Logger;
}

export interface FinalBodyWriter {
  /** Renders and stores the bodies of `reads` not stored yet; resolves once they are written. Never rejects. */
  store(reads: readonly FinalRead[]): Promise<StoreOutcome>;
  /** Every store() call made so far has ended. */
  settled(): Promise<void>;
  /** Reads not started yet fail, those in flight end, then the app (if one was made) stops. */
  close(): Promise<void>;
}

const keyOf = (read: FinalRead): string => finalKeyOf(APIS[read.api].seedOperation, read.tenant, read.path);
const reason = (err: unknown): string => (err instanceof Error ? err.message : String(err));

interface Loopback {
  base: string;
  settled(): Promise<void>;
  close(): Promise<void>;
}

/** An app on `db` listening on loopback, with no rate limit: only this writer calls it. */
async function startLoopback(db: Db, { jwtSecret, logger }: FinalBodyWriterOptions): Promise<Loopback> {
  const app = createApp({
    db,
    logger: logger ?? pino({ level: 'silent' }),
    rateLimit: { limit: Number.MAX_SAFE_INTEGER },
    failedAuthLimit: { limit: Number.MAX_SAFE_INTEGER },
    jwtSecret,
    // Each body is read once and then lives in the store: memory would only hold what is never read again.
    finalBodyCacheBytes: 1024 * 1024,
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve, reject) => server.once('listening', resolve).once('error', reject));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    settled: () => (app.locals.finalBodiesSettled as () => Promise<void>)(),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * Renders terminal runs' bodies when they are written rather than at their first read: each run
 * is read once through an app on `db`, on loopback, as a client would (auth, validation, handler),
 * so what lands in final_bodies passed response validation like any first answer. Runs already
 * stored at this version are not read. The app is made on the first read, and stopped by close().
 */
export function createFinalBodyWriter(db: Db, options: FinalBodyWriterOptions = {}): FinalBodyWriter {
  const concurrency = Math.max(1, options.concurrency ?? (db.driver === 'pglite' ? 1 : 4));
  const timeoutMs = options.readTimeoutMs ?? 30_000;
  let version: string | undefined;
  let loopback: Promise<Loopback> | undefined;
  let closed = false;
  let closing: Promise<void> | undefined;
  const calls = new Set<Promise<StoreOutcome>>();
  let active = 0;
  const waiting: Array<() => void> = [];

  /** Runs `read` when one of the `concurrency` slots is free; a slot is handed straight to the next in line. */
  const inSlot = async <T>(read: () => Promise<T>): Promise<T> => {
    if (active < concurrency) active++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      if (closed) throw new Error('the writer was closed');
      return await read();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
  const app = (): Promise<Loopback> => {
    loopback ??= startLoopback(db, options).catch((err: unknown) => {
      loopback = undefined; // the next call tries again
      throw err;
    });
    return loopback;
  };
  const readOnce = async (base: string, read: FinalRead): Promise<number> => {
    const res = await fetch(base + read.path, { headers: read.headers, signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.status;
  };

  async function run(reads: readonly FinalRead[]): Promise<StoreOutcome> {
    const outcome: StoreOutcome = { stored: 0, skipped: 0, refused: [], failed: [] };
    if (reads.length === 0) return outcome;
    let todo = [...reads];
    try {
      if (closed) throw new Error('the writer was closed');
      version ??= storedBodyVersion();
      const known = await storedFinalKeys(db, todo.map(keyOf), version);
      todo = todo.filter((read) => !known.has(keyOf(read)));
      outcome.skipped = reads.length - todo.length;
      if (todo.length === 0) return outcome;
      const { base, settled } = await app();
      const answered: FinalRead[] = [];
      await Promise.all(
        todo.map((read) =>
          inSlot(() => readOnce(base, read)).then(
            (status) => (status === 200 ? answered.push(read) : outcome.refused.push({ path: read.path, status })),
            (err: unknown) => outcome.failed.push({ path: read.path, error: reason(err) }),
          ),
        ),
      );
      await settled();
      const stored = await storedFinalKeys(db, answered.map(keyOf), version);
      for (const read of answered) {
        if (stored.has(keyOf(read))) outcome.stored++;
        else
          outcome.failed.push({
            path: read.path,
            error: 'answered 200 but not stored (not final, or the write failed)',
          });
      }
    } catch (err) {
      const counted = new Set([...outcome.refused, ...outcome.failed].map((r) => r.path));
      const lost = todo.filter((read) => !counted.has(read.path));
      outcome.failed.push(...lost.map((read) => ({ path: read.path, error: reason(err) })));
    }
    return outcome;
  }

  return {
    store(reads) {
      const call = run(reads);
      calls.add(call);
      void call.finally(() => calls.delete(call));
      return call;
    },
    async settled() {
      while (calls.size > 0) await Promise.all(calls);
    },
    close() {
      closing ??= (async () => {
        // Reads in flight end (each bounded by timeoutMs); each hands its slot on to one that then
        // sees `closed` and fails at once.
        closed = true;
        await Promise.all(calls);
        await (await loopback?.catch(() => undefined))?.close();
      })();
      return closing;
    },
  };
}

/** Renders and stores `reads` through a writer of its own, closed before it returns. */
export async function storeFinalBodies(
  db: Db,
  reads: readonly FinalRead[],
  options: FinalBodyWriterOptions = {},
): Promise<StoreOutcome> {
  const writer = createFinalBodyWriter(db, options);
  try {
    return await writer.store(reads);
  } finally {
    await writer.close();
  }
}
