import { apiKeyHandler } from '../../http/bearer.ts';
import { seedTaxonomyDemo } from '../../store/demo/taxonomy.ts';
import type { ApiModule } from '../types.ts';
import { renderTaxonomyError } from './errors.ts';
import { taxonomyGetRun, taxonomyListRuns } from './handlers.ts';

const TAXONOMY_UNAUTHORIZED = 'invalid API key';

export const taxonomyApi: ApiModule = {
  name: 'taxonomy',
  title: 'Taxonomy Hub',
  basePath: '/v1/taxonomy',
  document: 'generated/openapi/taxonomy.json',
  handlers: { taxonomyGetRun, taxonomyListRuns },
  securityHandlers: ({ db }) => ({
    TaxonomyHubApiKey: apiKeyHandler('taxonomy', db, TAXONOMY_UNAUTHORIZED),
  }),
  messages: { unauthorized: TAXONOMY_UNAUTHORIZED },
  renderError: renderTaxonomyError,
  seedDemo: seedTaxonomyDemo,
};
