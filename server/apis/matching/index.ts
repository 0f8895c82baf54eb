import type { ApiModule } from '../types.ts';

// Placeholder until the matching handlers land: answers 500 for every operation.
export const matchingApi: ApiModule = {
  name: 'matching',
  title: 'Matching',
  basePath: '/__matching_pending',
  document: 'generated/openapi/matching.json',
  handlers: {},
  securityHandlers: () => ({}),
  renderError: (p) => ({ status: p.status, body: { message: p.message } }),
  seedDemo: async () => [],
};
