import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createApp } from './app.ts';
import type { Db } from './store/db.ts';

/** One run to render: its seed operation's URL and the headers of a client allowed to read it. */
export interface FinalRead {
  path: string;
  headers: Record<string, string>;
}

export interface StoreFinalBodiesOptions {
  jwtSecret?: string;
  /** Reads in flight at once (PGlite answers one query at a time; PostgreSQL takes several). */
  concurrency?: number;
}

/**
 * Renders terminal runs' bodies when they are written rather than at their first read: each run
 * is read once through an app on `db`, on loopback, as a client would (auth, validation, handler),
 * so what lands in final_bodies passed response validation like any first answer. A read that
 * is not a 200 (a run still open, a wrong key) stores nothing and is returned as refused.
 */
export async function storeFinalBodies(
  db: Db,
  reads: readonly FinalRead[],
  { jwtSecret, concurrency = db.driver === 'pglite' ? 1 : 4 }: StoreFinalBodiesOptions = {},
): Promise<{ read: number; refused: Array<{ path: string; status: number }> }> {
  const app = createApp({
    db,
    logger: pino({ level: 'silent' }),
    rateLimit: { limit: Number.MAX_SAFE_INTEGER },
    failedAuthLimit: { limit: Number.MAX_SAFE_INTEGER },
    jwtSecret,
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const refused: Array<{ path: string; status: number }> = [];
  let next = 0;
  const worker = async () => {
    while (next < reads.length) {
      const read = reads[next++] as FinalRead;
      const res = await fetch(base + read.path, { headers: read.headers, signal: AbortSignal.timeout(30_000) });
      await res.arrayBuffer();
      if (res.status !== 200) refused.push({ path: read.path, status: res.status });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
    await (app.locals.finalBodiesSettled as () => Promise<void>)();
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  return { read: reads.length, refused };
}
