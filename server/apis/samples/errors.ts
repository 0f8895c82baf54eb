import type { components } from '../../../generated/samples.ts';
import type { Problem } from '../../core/problems.ts';
import type { RenderedError } from '../../core/types.ts';

type SamplesError = components['schemas']['SamplesError'];

/** samples' one error body: {code, message, details}, details always an object. */
export function renderSamplesError(problem: Problem): RenderedError {
  const body: SamplesError = { code: problem.kind, message: problem.message, details: { ...problem.details } };
  return { status: problem.status, body };
}
