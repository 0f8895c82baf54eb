import type { components } from '../../../generated/telemetry.ts';
import type { Problem } from '../../core/problems.ts';
import type { RenderedError } from '../../core/types.ts';

type TelemetryError = components['schemas']['TelemetryError'];

/** Never echo an internal failure's own text (handler names, SQL) to the caller. */
const INTERNAL_MESSAGE = 'An unexpected error occurred. Please try again later.';

/** The seed's own 429 text: the wait is in Retry-After, never in the words. */
const RATE_LIMITED_MESSAGE = 'Too many requests. Retry after the period indicated in the Retry-After header.';

const messageOf = (problem: Problem): string =>
  problem.kind === 'internal_error'
    ? INTERNAL_MESSAGE
    : problem.kind === 'rate_limited'
      ? RATE_LIMITED_MESSAGE
      : problem.message;

/** telemetry's one error body: {"error": {"code", "message"}}; every problem kind is a code of the spec. */
export function renderTelemetryError(problem: Problem): RenderedError {
  const code: TelemetryError['error']['code'] = problem.kind;
  const body: TelemetryError = { error: { code, message: messageOf(problem) } };
  return { status: problem.status, body };
}
