import type { RequestHandler } from 'express';
import { problem } from '../core/problems.ts';

/**
 * The validator coerces "Infinity" and "1e999" to numbers that pass integer bounds; nothing
 * infinite may reach SQL, so after validation such a parameter is malformed input (a 400).
 */
export const rejectNonFiniteNumbers: RequestHandler = function rejectNonFiniteNumbers(req, _res, next) {
  const path = (req.openapi as { pathParams?: Record<string, unknown> } | undefined)?.pathParams ?? {};
  for (const [location, values] of [
    ['path', path],
    ['query', req.query as Record<string, unknown>],
  ] as const) {
    for (const [name, value] of Object.entries(values)) {
      if (typeof value === 'number' && !Number.isFinite(value)) {
        next(
          problem('bad_request', `Invalid ${location} parameter '${name}': must be a finite number.`, {
            parameter: name,
            location,
          }),
        );
        return;
      }
    }
  }
  next();
};
