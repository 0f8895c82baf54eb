import type { components } from '../../../generated/taxonomy.ts';
import type { Problem } from '../../core/problems.ts';
import type { RenderedError } from '../../core/types.ts';

type TaxonomyError = components['schemas']['TaxonomyError'];

/**
 * A missing required parameter is named plainly: the vendor's own curl omits `tenant_id`, so a
 * client copied from it must learn exactly what to add.
 */
function badRequestMessage(problem: Problem): string {
  const first = problem.issues[0];
  if (first && /must have required property/.test(first.message)) {
    return `${first.location} parameter '${first.name}' is required`;
  }
  return problem.message;
}

/** taxonomy's one error body: {code, message}, nothing else (the schema is closed). */
export function renderTaxonomyError(problem: Problem): RenderedError {
  const message = problem.kind === 'bad_request' ? badRequestMessage(problem) : problem.message;
  const body: TaxonomyError = { code: problem.kind, message };
  return { status: problem.status, body };
}
