import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Every response: nosniff, no framing, no referrer, and a CSP that lets a JSON body do nothing if
 * a browser ever renders it. HSTS is left to the TLS terminator in front of this plain-HTTP server.
 */
export const securityHeaders: RequestHandler = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
  },
  frameguard: { action: 'deny' },
  strictTransportSecurity: false,
  referrerPolicy: { policy: 'no-referrer' },
});

/**
 * The reference docs: Redoc (inlined by `redocly build-docs --inlineBundle`) runs inline scripts,
 * injects styles, and renders search in a blob: worker; nothing may come from another origin,
 * and only this origin may frame the pages.
 */
export const docsSecurityHeaders: RequestHandler = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", "'unsafe-inline'", 'blob:'],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      fontSrc: ["'self'", 'data:'],
      workerSrc: ["'self'", 'blob:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'none'"],
      frameAncestors: ["'self'"],
    },
  },
  frameguard: { action: 'sameorigin' },
  strictTransportSecurity: false,
  referrerPolicy: { policy: 'no-referrer' },
});

/**
 * Authenticated data: a shared cache must not keep it, and a private one revalidates every time
 * (the ETag answers 304 when nothing changed). It varies with the credential and the workspace.
 */
export const authenticatedCaching: RequestHandler = function authenticatedCaching(_req, res, next) {
  res.setHeader('Cache-Control', 'private, max-age=0');
  res.vary('Authorization');
  res.vary('X-Workspace-Id');
  next();
};

/**
 * HEAD on a GET operation: the spec declares GET only, so the request goes through validation,
 * auth and the handler as a GET. Node already knows the request was HEAD and sends no body, while
 * the status and headers (Content-Length, ETag) are those of the GET.
 */
export const headAsGet: RequestHandler = function headAsGet(req, _res, next) {
  if (req.method === 'HEAD') req.method = 'GET';
  next();
};
