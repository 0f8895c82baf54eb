import type { ApiModule } from '../types.ts';

// Placeholder until the taxonomy handlers land: answers 500 for every operation.
export const taxonomyApi: ApiModule = {
  name: 'taxonomy',
  title: 'Taxonomy',
  basePath: '/__taxonomy_pending',
  document: 'generated/openapi/taxonomy.json',
  handlers: {},
  securityHandlers: () => ({}),
  renderError: (p) => ({ status: p.status, body: { message: p.message } }),
  seedDemo: async () => [],
};
