import { existsSync } from 'node:fs';
import express, { Router } from 'express';
import { GENERATED_DIR } from '../core/documents.ts';

/** The built reference docs at /docs and the bundled documents at /openapi/<api>.json. */
export function staticDocs(docsDir?: string): Router {
  const router = Router();
  router.use('/openapi', express.static(`${GENERATED_DIR}openapi`, { index: false }));
  if (docsDir && existsSync(docsDir)) {
    router.get('/', (_req, res) => res.redirect(302, '/docs/'));
    // Browsers ask for one beside every page: no icon, and no 404 in the reader's console.
    router.get('/favicon.ico', (_req, res) => res.status(204).end());
    router.use('/docs', express.static(docsDir, { extensions: ['html'] }));
  }
  return router;
}
