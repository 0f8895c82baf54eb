import type { components } from '../../../generated/matching.ts';
import type { Problem } from '../../core/problems.ts';
import type { RenderedError } from '../../core/types.ts';

type MatchingError = components['schemas']['MatchingError'];
type Code = MatchingError['error']['code'];

/** The seed's own 429 text: the wait is in Retry-After, never in the words. */
const RATE_LIMITED_MESSAGE = 'Too many requests. Retry after the period indicated in the Retry-After header.';

/** matching's one error body: {error: {code, message}}; details stay in the logs, not the body. */
export function renderMatchingError(problem: Problem): RenderedError {
  const code: Code = problem.kind;
  const message = problem.kind === 'rate_limited' ? RATE_LIMITED_MESSAGE : problem.message;
  const body: MatchingError = { error: { code, message } };
  return { status: problem.status, body };
}
