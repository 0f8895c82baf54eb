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
  };
}
