import { APIS } from '../../../generated/apis.ts';
import type { ApiModule } from '../../core/types.ts';
import { AUTH_MESSAGES, workflowsSecurity } from './auth.ts';
import { finalRunPaths, seedDemo } from './demo.ts';
import { renderWorkflowsError } from './errors.ts';
import { overviewEnvelope, workflowsGetRunOverview, workflowsListRuns } from './handlers.ts';
import { FINAL } from './overview.ts';
import { selectWorkspace } from './select-workspace.ts';

export const workflowsApi: ApiModule = {
  name: 'workflows',
  title: 'Workflows',
  basePath: APIS.workflows.basePath,
  handlers: { workflowsGetRunOverview, workflowsListRuns },
  finalRuns: { workflowsGetRunOverview: overviewEnvelope },
  securityHandlers: workflowsSecurity,
  // FastAPI's own wording where a failure carries no message of its own.
  messages: {
    unauthorized: AUTH_MESSAGES.invalid,
    not_found: 'Not Found',
    method_not_allowed: 'Method Not Allowed',
    internal_error: 'Internal server error',
  },
  renderError: renderWorkflowsError,
  seedDemo,
  finalRunPaths,
  finalStatuses: FINAL,
  beforeHandler: selectWorkspace,
};
