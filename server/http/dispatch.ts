import type { RequestHandler } from 'express';
import type { FinalBody } from '../core/caches.ts';
import { problem } from '../core/problems.ts';
import type { AppDeps, FinalRunRule, Handler } from '../core/types.ts';
import {
  answeredKey,
  captureFinal,
  clientKey,
  finalKey,
  rememberAnswer,
  requestIdentity,
  sendFinal,
  storeChecked,
} from './final-runs.ts';

/**
 * Routes a validated request to the handler of its operationId: paths live only in the spec,
 * so the server cannot drift from it by a hand-written route. A terminal run already answered
 * (same operation, tenant and URL) is served from the final-body cache instead.
 */
export function dispatch(
  handlers: Record<string, Handler>,
  deps: AppDeps,
  finalRuns: Record<string, FinalRunRule> = {},
  apiName = '',
): RequestHandler {
  return async function dispatchOperation(req, res, next) {
    const openapi = req.openapi as
      | { schema?: { operationId?: string; responses?: object }; pathParams?: Record<string, unknown> }
      | undefined;
    if (!(openapi?.schema?.responses && '304' in openapi.schema.responses)) {
      // No 304 declared: the preconditions are ignored, or Express would answer an undeclared 304
      // (to `If-None-Match: *` even with no ETag at all).
      delete req.headers['if-none-match'];
      delete req.headers['if-modified-since'];
    }
    const operationId = openapi?.schema?.operationId;
    const handler = operationId ? handlers[operationId] : undefined;
    if (!operationId || !handler || !req.principal) {
      next(problem('internal_error', `No handler for ${operationId ?? req.path}.`));
      return;
    }
    const rule = finalRuns[operationId];
    if (rule) {
      const key = finalKey(operationId, req);
      const identity = requestIdentity(req);
      // This request passed auth and validation: the same one again may skip both (front-door.ts).
      const remember = () => {
        const headersIdentity = requestIdentity(req, { withUrl: false });
        if (!identity || !headersIdentity || !req.principal) return;
        const answered = answeredKey(apiName, identity);
        const client = clientKey(apiName, operationId, headersIdentity);
        rememberAnswer(
          res,
          (answer) => {
            deps.principals.put(answered, answer);
            deps.principals.put(client, answer);
          },
          { operationId, key, principal: req.principal },
        );
      };
      const hit = deps.finalBodies.get(key) ?? (storeChecked(req) ? undefined : await storedBody(deps, key));
      if (hit) {
        remember();
        sendFinal(req, res, hit, rule);
        return;
      }
      captureFinal(res, rule, (body) => {
        deps.finalBodies.set(key, body);
        remember();
      });
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

/**
 * The body a process stored earlier (the backing tier), if any. A store that cannot answer is a
 * miss: the handler then asks the store itself and reports its failure in the API's own shape.
 */
async function storedBody(deps: AppDeps, key: string): Promise<FinalBody | undefined> {
  try {
    return await deps.finalBodies.load?.(key);
  } catch {
    return undefined;
  }
}
