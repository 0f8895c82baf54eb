import type { components } from '../../../generated/telemetry.ts';
import type { Problem } from '../../http/problems.ts';
import type { RenderedError } from '../types.ts';

type TelemetryError = components['schemas']['TelemetryError'];

/** Never echo an internal failure's own text (handler names, SQL) to the caller. */
const INTERNAL_MESSAGE = 'An unexpected error occurred. Please try again later.';

/** telemetry's one error body: {"error": {"code", "message"}}; every problem kind is a code of the spec. */
export function renderTelemetryError(problem: Problem): RenderedError {
  const message = problem.kind === 'internal_error' ? INTERNAL_MESSAGE : problem.message;
  const body: TelemetryError = { error: { code: problem.kind, message } };
  return { status: problem.status, body };
}
