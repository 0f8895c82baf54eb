import type { ApiModule } from '../types.ts';

// Placeholder until the workflows handlers land: answers 500 for every operation.
export const workflowsApi: ApiModule = {
  name: 'workflows',
  title: 'Workflows',
  basePath: '/__workflows_pending',
  document: 'generated/openapi/workflows.json',
  handlers: {},
  securityHandlers: () => ({}),
  renderError: (p) => ({ status: p.status, body: { message: p.message } }),
  seedDemo: async () => [],
};
