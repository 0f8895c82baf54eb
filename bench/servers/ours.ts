/**
 * (3) and (4): the reference server as createApp builds it, in its own process, logs off and rate
 * limits out of the way. BENCH_VALIDATE=0: response validation off; BENCH_FINAL_CACHE=0: no
 * terminal-run body cache (the scale series measures the store). Store: BENCH_DATABASE_URL (+
 * BENCH_SCHEMA) or the PGlite folder BENCH_PGLITE. BENCH_TWIN_PORT: a second app, response
 * validation off and otherwise the same, on that port over the same store, so validation's cost is
 * read in one process (one PGlite, compiled as far as the other's) rather than between two.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { type AppOptions, createApp } from '../../server/app.ts';
import { DEMO_JWT_SECRET } from '../../server/config.ts';
import { openStore } from '../../server/store/open.ts';

const env = process.env;
const db = await openStore({
  databaseUrl: env.BENCH_DATABASE_URL,
  schema: env.BENCH_SCHEMA,
  dataDir: env.BENCH_PGLITE,
});
const options: AppOptions = {
  db,
  logger: pino({ level: 'silent' }),
  rateLimit: { limit: 1e9 },
  failedAuthLimit: { limit: 1e9 },
  validateResponses: env.BENCH_VALIDATE !== '0',
  ...(env.BENCH_FINAL_CACHE === '0' ? { finalBodyCacheBytes: 0 } : {}),
  jwtSecret: DEMO_JWT_SECRET,
};
const app = createApp(options);
const twinApp = env.BENCH_TWIN_PORT ? createApp({ ...options, validateResponses: false }) : undefined;
const twin = twinApp?.listen(Number(env.BENCH_TWIN_PORT), '127.0.0.1');
if (twin) await new Promise((listening) => twin.once('listening', listening));
// BENCH_CONTROL_PORT (with --expose-gc): POST /gc collects garbage, so a timed slice that follows
// pays for its own and not for what an earlier one left.
const gc = (globalThis as { gc?: () => void }).gc;
if (env.BENCH_CONTROL_PORT && gc)
  createServer((_req, res) => {
    gc();
    res.end();
  }).listen(Number(env.BENCH_CONTROL_PORT), '127.0.0.1');
// As npm start does after its banner (main.ts), memory takes the stored bodies; here before the
// line the bench waits for, so no timed read races the preload.
const server = app.listen(0, '127.0.0.1', async () => {
  await (app.locals.preloadFinalBodies as () => Promise<number>)();
  console.log(`listening http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => {
  twin?.close();
  twin?.closeAllConnections();
  server.close(() => void db.close().finally(() => process.exit(0)));
  server.closeAllConnections();
});
