/** Server settings, from the environment (see README "Configuration"). */
export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  rateLimit: { limit: number; windowMs: number };
  failedAuthLimit: { limit: number; windowMs: number };
  jwtSecret: string | undefined;
  jwksFile: string | undefined;
  metrics: boolean;
  corsOrigins: string[];
  logLevel: string;
  docsDir: string;
  demo: boolean;
  /** Live mode (LIVE=1 or --live): runs advance through their lifecycles on a clock. */
  live: boolean;
  liveTickMs: number;
  /** Signs list cursors; one value for every process behind a load balancer. */
  cursorSecret: string | undefined;
  /** Express's `trust proxy`: false, a hop count, or addresses/CIDRs of the proxies. */
  trustProxy: boolean | number | string;
  jwtIssuer: string | undefined;
  jwtAudience: string | undefined;
  /** Bounded waits on PostgreSQL and Redis (milliseconds). */
  timeouts: {
    pgConnectMs: number;
    pgStatementMs: number;
    pgQueryMs: number;
    redisCommandMs: number;
    readyMs: number;
  };
  shutdownGraceMs: number;
  /** Largest request head Node parses (MAX_HEADER_BYTES); beyond it, a plain 431. */
  maxHeaderBytes: number;
}

/** TRUST_PROXY: unset/false (the socket's address), a hop count, or proxies' addresses and CIDRs. */
function trustProxy(value: string | undefined): boolean | number | string {
  const v = (value ?? '').trim();
  if (v === '' || v === 'false' || v === '0') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .join(',');
}

function int(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got "${value}"`);
  return n;
}

/** RATE_LIMIT is "120" (per minute) or "120/60s". */
function rateLimit(value: string | undefined, name = 'RATE_LIMIT'): { limit: number; windowMs: number } {
  if (!value) return { limit: 120, windowMs: 60_000 };
  const m = /^(\d+)(?:\/(\d+)s)?$/.exec(value);
  if (!m) throw new Error(`${name} must look like 120 or 120/60s, got "${value}"`);
  return { limit: Number(m[1]), windowMs: (m[2] ? Number(m[2]) : 60) * 1000 };
}

/** Signs nothing but demo tokens on the embedded store; printed by npm start for trying the JWT path. */
export const DEMO_JWT_SECRET = 'run-api-contracts-demo-secret-change-me-0123456789';

export function loadConfig(env: NodeJS.ProcessEnv = process.env, argv: string[] = process.argv): ServerConfig {
  const liveTickMs = int(env.LIVE_TICK_MS, 1000, 'LIVE_TICK_MS');
  if (liveTickMs < 1) throw new Error('LIVE_TICK_MS must be at least 1');
  return {
    port: int(env.PORT, 3000, 'PORT'),
    host: env.HOST || '127.0.0.1',
    dataDir: env.DATA_DIR || './data',
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    rateLimit: rateLimit(env.RATE_LIMIT),
    failedAuthLimit: rateLimit(env.AUTH_FAILURE_LIMIT || '600/60s', 'AUTH_FAILURE_LIMIT'),
    // A known secret is only for the embedded demo; with a real database and no JWT_SECRET or
    // JWKS_FILE, workflows accepts live API keys only (a public secret would let anyone mint tokens).
    jwtSecret: env.JWT_SECRET || (env.JWKS_FILE || env.DATABASE_URL || env.DEMO === '0' ? undefined : DEMO_JWT_SECRET),
    jwksFile: env.JWKS_FILE || undefined,
    metrics: env.METRICS === '1' || env.METRICS === 'true',
    corsOrigins: (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    logLevel: env.LOG_LEVEL || 'info',
    docsDir: env.DOCS_DIR || './dist/docs',
    demo: env.DEMO !== '0',
    live: env.LIVE === '1' || env.LIVE === 'true' || argv.includes('--live'),
    liveTickMs,
    cursorSecret: env.CURSOR_SECRET || undefined,
    trustProxy: trustProxy(env.TRUST_PROXY),
    jwtIssuer: env.JWT_ISSUER || undefined,
    jwtAudience: env.JWT_AUDIENCE || undefined,
    timeouts: {
      pgConnectMs: int(env.PG_CONNECT_TIMEOUT_MS, 2000, 'PG_CONNECT_TIMEOUT_MS'),
      pgStatementMs: int(env.PG_STATEMENT_TIMEOUT_MS, 5000, 'PG_STATEMENT_TIMEOUT_MS'),
      pgQueryMs: int(env.PG_QUERY_TIMEOUT_MS, 6000, 'PG_QUERY_TIMEOUT_MS'),
      redisCommandMs: int(env.REDIS_COMMAND_TIMEOUT_MS, 100, 'REDIS_COMMAND_TIMEOUT_MS'),
      readyMs: int(env.READY_TIMEOUT_MS, 800, 'READY_TIMEOUT_MS'),
    },
    shutdownGraceMs: int(env.SHUTDOWN_GRACE_MS, 10_000, 'SHUTDOWN_GRACE_MS'),
    maxHeaderBytes: int(env.MAX_HEADER_BYTES, 96 * 1024, 'MAX_HEADER_BYTES'),
  };
}
