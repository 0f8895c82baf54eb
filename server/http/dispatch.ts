import type { RequestHandler } from 'express';
import type { AppDeps, Handler } from '../apis/types.ts';
import { problem } from './problems.ts';

/**
 * Routes a validated request to the handler of its operationId: paths live only in the spec,
 * so the server cannot drift from it by a hand-written route.
 */
export function dispatch(handlers: Record<string, Handler>, deps: AppDeps): RequestHandler {
  return async function dispatchOperation(req, res, next) {
    const openapi = req.openapi as
      | { schema?: { operationId?: string }; pathParams?: Record<string, unknown> }
      | undefined;
    const operationId = openapi?.schema?.operationId;
    const handler = operationId ? handlers[operationId] : undefined;
    if (!handler || !req.principal) {
      next(problem('internal_error', `No handler for ${operationId ?? req.path}.`));
      return;
    }
    try {
      // Express resets req.params per layer; the validator's copy holds the coerced path values.
      const params = openapi?.pathParams ?? {};
      await handler({ req, res, db: deps.db, principal: req.principal, params });
    } catch (err) {
      next(err);
    }
  };
}
