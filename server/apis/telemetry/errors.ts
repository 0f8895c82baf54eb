import type { components } from '../../../generated/telemetry.ts';
import type { Problem, ProblemKind } from '../../http/problems.ts';
import type { RenderedError } from '../types.ts';

type TelemetryError = components['schemas']['TelemetryError'];
type Code = TelemetryError['error']['code'];

/**
 * The spec's code enum has no 405, 413 or 415 (GET-only operations never declare them); those
 * client errors keep their status and read as `bad_request`.
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

/** Never echo an internal failure's own text (handler names, SQL) to the caller. */
const INTERNAL_MESSAGE = 'An unexpected error occurred. Please try again later.';

/** telemetry's one error body: {"error": {"code", "message"}}. */
export function renderTelemetryError(problem: Problem): RenderedError {
  const message = problem.kind === 'internal_error' ? INTERNAL_MESSAGE : problem.message;
  const body: TelemetryError = { error: { code: CODES[problem.kind], message } };
  return { status: problem.status, body };
}
