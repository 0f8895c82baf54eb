import { APIS } from '../../../generated/apis.ts';
import type { ApiModule } from '../../core/types.ts';
import { apiKeyHandler } from '../../http/api-key-auth.ts';
import { finalRunPaths, seedDemo } from './demo.ts';
import { renderTaxonomyError } from './errors.ts';
import { FINAL, taxonomyGetRun, taxonomyListRuns } from './handlers.ts';

// The validator refuses a missing or non-Bearer header before our handler runs, with no wording
// of its own; a key we do not know reaches the handler.
const MISSING_KEY = 'missing bearer API key';
const INVALID_KEY = 'invalid API key';

export const taxonomyApi: ApiModule = {
  name: 'taxonomy',
  title: 'Taxonomy Hub',
  basePath: APIS.taxonomy.basePath,
  finalRuns: { taxonomyGetRun: {} },
  handlers: { taxonomyGetRun, taxonomyListRuns },
  securityHandlers: ({ db, principals }) => ({
    TaxonomyHubApiKey: apiKeyHandler('taxonomy', db, INVALID_KEY, principals),
  }),
  messages: { unauthorized: MISSING_KEY },
  renderError: renderTaxonomyError,
  seedDemo,
  finalRunPaths,
  finalStatuses: FINAL,
};
