/**
 * npm start: the reference server with all five APIs, on the embedded store with demo data
 * (or PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set), docs at /docs.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { registry } from './apis/registry.ts';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { finishedReads, logStored, terminalDemoReads } from './demo-bodies.ts';
import { type DemoManifest, describeDemo, seedDemo, writeManifest } from './demo-manifest.ts';
import { gracefulDrain } from './http/drain.ts';
import { createHttpServer } from './http/http-server.ts';
import { createLogger } from './http/logging.ts';
import { createLive, type Live } from './live/ticker.ts';
import type { Db } from './store/db.ts';
import type { ApiName } from './store/keys.ts';
import { migrate } from './store/migrate.ts';
import { openStore } from './store/open.ts';
import { setCursorSecret } from './store/pagination.ts';
import { createFinalBodyWriter, type FinalBodyWriter } from './store-final-bodies.ts';

const config = loadConfig();
const logger = createLogger({ level: config.logLevel });

/**
 * Live mode: one new run per API, named in the manifest, then a tick every `tickMs` that moves the
 * demo tenants' unfinished runs on (see server/live/). The bodies of the runs a tick finishes are
 * stored before the next tick, so even a fresh process's first read of one is the stored path.
 */
async function startLive(
  db: Db,
  manifest: DemoManifest,
  writer: FinalBodyWriter,
  tickMs: number,
  out: string[],
): Promise<Live> {
  const tenants = Object.fromEntries(
    Object.entries(manifest.apis).map(([api, entry]) => [api, entry.tenants.map((t) => t.tenant)]),
  );
  const live = createLive(db, {
    tenants,
    onError: (err) => logger.error({ err }, 'live tick failed'),
    onFinished: async (api, runs) =>
      logStored(logger, `live ${api}`, await writer.store(finishedReads(manifest, api, runs)), 'debug'),
  });
  out.push(`  live mode: runs advance every ${tickMs} ms; about to start:`);
  for (const [api, entry] of Object.entries(manifest.apis)) {
    const run = await live.createRun(api as ApiName);
    entry.liveRun = run;
    out.push(`    ${api}: ${run.status} ${manifest.baseUrl}${run.path} (tenant ${run.tenant})`);
  }
  live.start(tickMs);
  return live;
}

async function main(): Promise<void> {
  setCursorSecret(config.cursorSecret);
  const { pgConnectMs, pgStatementMs, pgQueryMs } = config.timeouts;
  const db = await openStore({
    databaseUrl: config.databaseUrl,
    dataDir: join(config.dataDir, 'pglite'),
    timeouts: { connectMs: pgConnectMs, statementMs: pgStatementMs, queryMs: pgQueryMs },
  });
  const applied = await migrate(db);
  if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  const docsDir = resolve(config.docsDir);
  // Built before start (npm start's prestart, or npm run docs), never during it.
  const docsBuilt = existsSync(join(docsDir, 'index.html'));
  if (!docsBuilt) logger.warn({ docsDir }, 'no reference docs; run `npm run docs`');
  // ioredis is imported only when configured: about a sixth of the imports of a start without it.
  const redis = config.redisUrl
    ? (await import('./store/redis.ts')).openRedis(config.redisUrl, {
        commandTimeoutMs: config.timeouts.redisCommandMs,
      })
    : undefined;
  // Outages are logged once per transition by the rate-limit counters; the client's own errors repeat.
  redis?.on('error', (err) => logger.debug({ err: err.message }, 'redis client error'));
  // Serve once Redis is connected, or after its connect timeout without it (counted in process).
  if (redis)
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2000);
      redis.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  const app = createApp({
    db,
    redis,
    logger,
    rateLimit: config.rateLimit,
    failedAuthLimit: config.failedAuthLimit,
    jwtSecret: config.jwtSecret,
    jwksFile: config.jwksFile,
    jwtIssuer: config.jwtIssuer,
    jwtAudience: config.jwtAudience,
    metrics: config.metrics,
    corsOrigins: config.corsOrigins,
    trustProxy: config.trustProxy,
    readyTimeoutMs: config.timeouts.readyMs,
    docsDir,
  });
  const server = createHttpServer(app, { maxHeaderBytes: config.maxHeaderBytes });
  server.listen(config.port, config.host);
  await new Promise<void>((ok, fail) => server.once('listening', ok).once('error', fail));
  const baseUrl = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;

  const out: string[] = [
    `run-api-contracts server on ${baseUrl}`,
    `  reference docs: ${docsBuilt ? `${baseUrl}/docs/` : `not built (npm run docs, then restart)`}`,
  ];
  out.push(`  store: ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.dataDir}`}`);
  out.push(`  rate limits: ${config.redisUrl ? 'Redis (REDIS_URL)' : 'in memory'}`);
  let live: Live | undefined;
  let manifest: DemoManifest | undefined;
  // Renders terminal runs' bodies as they are written (store-final-bodies.ts); its own app, made
  // on its first read, so a start with every body already stored never builds it. It logs at warn
  // at most: its loopback reads are no client's, and an access line for each would bury theirs.
  const writer = createFinalBodyWriter(db, {
    jwtSecret: config.jwtSecret,
    logger: logger.child({ component: 'final-body-writer' }, { level: logger.levelVal > 40 ? logger.level : 'warn' }),
  });
  if (config.live && !config.demo) throw new Error('live mode moves the demo runs: it needs DEMO=1');
  if (config.demo) {
    manifest = await seedDemo(db, registry, baseUrl);
    if (config.live) live = await startLive(db, manifest, writer, config.liveTickMs, out);
    const file = await writeManifest(config.dataDir, manifest);
    out.push(`  demo manifest: ${file}`, describeDemo(manifest));
  }
  process.stdout.write(`${out.join('\n')}\n`);
  // In the background, after the banner: the server already answers. Memory first takes the bodies
  // stored by earlier processes and writers (a first read after a restart is answered like a
  // repeated one), then the terminal demo runs not stored at this version are rendered; bodies
  // stored at this version are skipped by one query, so a start on an existing folder renders nothing.
  const warm = async () => {
    const started = performance.now();
    const loaded = await (app.locals.preloadFinalBodies as () => Promise<number>)();
    logger.info({ loaded, ms: Math.round(performance.now() - started) }, `final bodies: ${loaded} loaded into memory`);
    if (!manifest) return;
    const reads = terminalDemoReads(manifest, registry);
    const storing = performance.now();
    logStored(logger, 'demo runs', await writer.store(reads), 'info', Math.round(performance.now() - storing));
  };
  setImmediate(() => void warm().catch((err: unknown) => logger.warn({ err }, 'warming the final bodies failed')));

  const drain = gracefulDrain(server, {
    graceMs: config.shutdownGraceMs,
    logger,
    async onDrained(forced) {
      // The ticker first (its last tick may still hand runs to the writer), then the writer, then the store.
      await live?.stop().catch(() => {});
      await writer.close().catch(() => {});
      await db.close().catch(() => {});
      redis?.disconnect();
      process.exit(forced ? 1 : 0);
    },
  });
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down: finishing requests on open connections');
    drain();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  logger.fatal({ err }, 'server failed to start');
  process.exit(1);
});
