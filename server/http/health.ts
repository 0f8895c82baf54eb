import { Router } from 'express';
import type { Db } from '../store/db.ts';
import { pendingMigrations } from '../store/migrate.ts';

/** For a load balancer: /healthz says the process is up, /readyz that the store can serve. */
export function healthRoutes(db: Db): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    try {
      const pending = await pendingMigrations(db);
      if (pending.length > 0) {
        res.status(503).json({ status: 'unavailable', reason: 'migrations pending', pending });
        return;
      }
      await db.query('SELECT 1');
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'unavailable', reason: 'store unreachable' });
    }
  });
  return router;
}
