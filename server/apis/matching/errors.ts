import type { components } from '../../../generated/matching.ts';
import type { Problem } from '../../http/problems.ts';
import type { RenderedError } from '../types.ts';

type MatchingError = components['schemas']['MatchingError'];

/** matching's one error body: {error: {code, message}}; details stay in the logs, not the body. */
export function renderMatchingError(problem: Problem): RenderedError {
  const body: MatchingError = { error: { code: problem.kind, message: problem.message } };
  return { status: problem.status, body };
}
