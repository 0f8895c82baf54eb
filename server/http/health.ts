import { Router } from 'express';
import type { Db } from '../store/db.ts';
import { pendingMigrations } from '../store/migrate.ts';
import type { Counters } from './counters.ts';

export interface HealthOptions {
  counters?: Counters;
  /** /readyz answers within this, whatever the store does (default 800 ms). */
  timeoutMs?: number;
}

/**
 * For a load balancer: /healthz says the process is up, /readyz that the store can serve. A Redis
 * that is unreachable leaves the process ready (limits are counted in process) but says degraded.
 */
export function healthRoutes(db: Db, { counters, timeoutMs = 800 }: HealthOptions = {}): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const check = (async () => {
      const pending = await pendingMigrations(db);
      if (pending.length > 0) return { pending };
      await db.query('SELECT 1');
      return {};
    })();
    try {
      const outcome = await Promise.race([check, timedOut]);
      if (outcome === 'timeout') {
        check.catch(() => {});
        res.status(503).set('Retry-After', '5').json({ status: 'unavailable', reason: 'store did not answer in time' });
        return;
      }
      if (outcome.pending) {
        res.status(503).json({ status: 'unavailable', reason: 'migrations pending', pending: outcome.pending });
        return;
      }
      if (counters?.mode() === 'degraded') {
        res.json({ status: 'degraded', reason: 'redis unreachable: rate limits counted per process' });
        return;
      }
      res.json({ status: 'ready' });
    } catch {
      res.status(503).set('Retry-After', '5').json({ status: 'unavailable', reason: 'store unreachable' });
    } finally {
      clearTimeout(timer);
    }
  });
  return router;
}
