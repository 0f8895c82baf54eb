import type { Request } from 'express';
import type { components } from '../../../generated/workflows.ts';
import type { Problem } from '../../http/problems.ts';
import type { RenderedError } from '../types.ts';

type WorkflowsError = components['schemas']['WorkflowsError'];
type ValidationError = components['schemas']['WorkflowsValidationError'];

export function renderWorkflowsError(problem: Problem, req: Request): RenderedError {
  if (problem.kind === 'bad_request') {
    const body: ValidationError = { detail: problem.issues.map((i) => ({ loc: [i.location, i.name], msg: i.message, type: 'x' })) };
    return { status: 422, body };
  }
  const body: WorkflowsError = { detail: problem.message };
  return { status: problem.status, body };
}
