import type { ErrorRequestHandler, Request } from 'express';
import { DEFAULT_MESSAGES, Problem } from '../core/problems.ts';
import type { ApiModule } from '../core/types.ts';
import { authStoreFailed } from './auth-failure.ts';
import { toProblem } from './to-problem.ts';

const RENDERING = Symbol('renderingError');

/** True when the matched operation declares this status (or a default), so res.json is validated. */
function declares(req: Request, status: number): boolean {
  const responses = (req.openapi as { schema?: { responses?: Record<string, unknown> } } | undefined)?.schema
    ?.responses;
  return Boolean(responses && (responses[String(status)] || responses.default));
}

/**
 * Turns every failure into the API's own error body. Unexpected errors are logged with the
 * request id and answered as the spec's 500, never with a stack.
 */
export function errorResponder(api: ApiModule): ErrorRequestHandler {
  return function respondWithApiError(err, req, res, _next) {
    const raw = authStoreFailed(req)
      ? new Problem('service_unavailable', '', {}, { 'Retry-After': '5' })
      : toProblem(err);
    const problem = raw.message
      ? raw
      : new Problem(
          raw.kind,
          api.messages?.[raw.kind] ?? DEFAULT_MESSAGES[raw.kind],
          raw.details,
          raw.headers,
          raw.issues,
        );
    if (problem.kind === 'internal_error') {
      req.log?.error({ err, requestId: req.id }, 'unexpected error');
    } else if (problem.kind === 'service_unavailable') {
      req.log?.warn({ err, requestId: req.id }, 'store unavailable');
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    const { status, body } = api.renderError(problem, req);
    for (const [name, value] of Object.entries(problem.headers)) res.setHeader(name, value);
    if (status === 401) res.setHeader('WWW-Authenticate', `Bearer realm="${api.name}"`);
    if ((status === 429 || status === 503) && !res.getHeader('Retry-After')) res.setHeader('Retry-After', '5');
    res.status(status);
    const locals = res.locals as Record<symbol, boolean>;
    // A body that fails validation while we render an error must not loop: send it as is.
    if (declares(req, status) && !locals[RENDERING]) {
      locals[RENDERING] = true;
      res.json(body);
    } else {
      res.type('application/json').send(JSON.stringify(body));
    }
  };
}

/**
 * Behind errorResponder: an error body that itself failed response validation lands here, and is
 * answered as the API's 500 without validation, so it still leaves in the API's own shape.
 */
export function lastResortResponder(api: ApiModule): ErrorRequestHandler {
  return function respondWithLastResort(err, req, res, _next) {
    req.log?.error({ err, requestId: req.id }, 'error body failed its own contract');
    if (res.headersSent) {
      res.end();
      return;
    }
    const { status, body } = api.renderError(new Problem('internal_error', DEFAULT_MESSAGES.internal_error), req);
    res.status(status).type('application/json').send(JSON.stringify(body));
  };
}
