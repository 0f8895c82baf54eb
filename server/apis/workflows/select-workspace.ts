import type { NextFunction, Request, Response } from 'express';
import { problem } from '../../core/problems.ts';
import { NOT_FOUND } from './handlers.ts';

/**
 * X-Workspace-Id picks one of the caller's workspaces; one they are not a member of answers like
 * a workflow that does not exist, so its existence is not revealed.
 */
export function selectWorkspace(req: Request, _res: Response, next: NextFunction): void {
  const principal = req.principal;
  const wanted = req.headers['x-workspace-id'];
  if (principal && typeof wanted === 'string' && wanted !== '') {
    if (!principal.workspaces?.includes(wanted)) {
      next(problem('not_found', NOT_FOUND.workflow));
      return;
    }
    req.principal = { ...principal, tenantId: wanted };
  }
  next();
}
