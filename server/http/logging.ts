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

/** One JSON line per request, with its id; the Authorization header is never written. */
export function requestLogging(logger: Logger) {
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
