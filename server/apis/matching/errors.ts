import type { components } from '../../../generated/matching.ts';
import type { Problem, ProblemKind } from '../../http/problems.ts';
import type { RenderedError } from '../types.ts';

type MatchingError = components['schemas']['MatchingError'];
type Code = MatchingError['error']['code'];

/**
 * The spec's code enum has no entry for 405, 413 or 415 (undeclared statuses, answered only when
 * a request misses every operation); they keep their status and say `bad_request`, the closest code.
 */
const CODES: Record<ProblemKind, Code> = {
  bad_request: 'bad_request',
  unauthorized: 'unauthorized',
  not_found: 'not_found',
  method_not_allowed: 'bad_request',
  payload_too_large: 'bad_request',
  unsupported_media_type: 'bad_request',
  rate_limited: 'rate_limited',
  internal_error: 'internal_error',
  service_unavailable: 'service_unavailable',
};

/** matching's one error body: {error: {code, message}}; details stay in the logs, not the body. */
export function renderMatchingError(problem: Problem): RenderedError {
  const body: MatchingError = { error: { code: CODES[problem.kind] ?? 'internal_error', message: problem.message } };
  return { status: problem.status, body };
}
