import { seedWorkflowsDemo } from '../../store/demo/workflows.ts';
import type { ApiModule } from '../types.ts';
import { AUTH_MESSAGES, workflowsSecurity } from './auth.ts';
import { renderWorkflowsError } from './errors.ts';
import { selectWorkspace, workflowsGetRunOverview, workflowsListRuns } from './handlers.ts';

export const workflowsApi: ApiModule = {
  name: 'workflows',
  title: 'Workflows',
  basePath: '/api/v1/workflows',
  document: 'generated/openapi/workflows.json',
  handlers: { workflowsGetRunOverview, workflowsListRuns },
  securityHandlers: workflowsSecurity,
  messages: { unauthorized: AUTH_MESSAGES.invalid },
  renderError: renderWorkflowsError,
  seedDemo: seedWorkflowsDemo,
  beforeHandler: selectWorkspace,
};
