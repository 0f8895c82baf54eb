import type { components } from '../../../generated/taxonomy.ts';
import type { Problem, ProblemKind } from '../../http/problems.ts';
import type { RenderedError } from '../types.ts';

type TaxonomyError = components['schemas']['TaxonomyError'];

/**
 * taxonomy's codes are one per declared status; the statuses no operation declares (405, 413,
 * 415) are client errors, so they keep their status and read as bad_request.
 */
const CODES: Record<ProblemKind, TaxonomyError['code']> = {
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

/** taxonomy's one error body: {code, message}, nothing else (the schema is closed). */
export function renderTaxonomyError(problem: Problem): RenderedError {
  const body: TaxonomyError = { code: CODES[problem.kind], message: problem.message };
  return { status: problem.status, body };
}
