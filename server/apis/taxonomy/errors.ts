import type { components } from '../../../generated/taxonomy.ts';
import type { Problem } from '../../http/problems.ts';
import type { RenderedError } from '../types.ts';

type TaxonomyError = components['schemas']['TaxonomyError'];

/** taxonomy's one error body: {code, message}, nothing else (the schema is closed). */
export function renderTaxonomyError(problem: Problem): RenderedError {
  const body: TaxonomyError = { code: problem.kind, message: problem.message };
  return { status: problem.status, body };
}
