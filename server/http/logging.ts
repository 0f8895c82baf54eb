import type { RequestHandler } from 'express';
import pino, { type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { requestId } from './request-id.ts';

export interface LoggingOptions {
  level?: string;
  logger?: Logger;
}

export function createLogger({ level = 'info', logger }: LoggingOptions = {}): Logger {
  return (
    logger ?? pino({ level, redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], remove: true } })
  );
}

/**
 * One JSON line per request, with its id; the Authorization header is never written. With logs
 * off (level silent) only the id is kept: pino-http's per-request child logger and listeners cost
 * about 7% of a cached answer's CPU for lines nobody writes.
 */
export function requestLogging(logger: Logger): RequestHandler {
  if (logger.level === 'silent') {
    return function requestIdOnly(req, res, next) {
      (req as { id?: unknown }).id = requestId(req, res);
      req.log = logger;
      next();
    };
  }
  return pinoHttp({
    logger,
    genReqId: requestId,
    serializers: {
      req(req: { id: unknown; method: string; url: string; headers: Record<string, unknown> }) {
        const { authorization: _a, cookie: _c, ...headers } = req.headers;
        return { id: req.id, method: req.method, url: req.url, headers };
      },
    },
    customLogLevel(_req, res, err) {
      if (err || res.statusCode >= 500) return 'error';
      return 'info';
    },
  });
}
