import { APIS } from '../../../generated/apis.ts';
import type { ApiModule } from '../../core/types.ts';
import { apiKeyHandler } from '../../http/api-key-auth.ts';
import { finalRunPaths, seedDemo } from './demo.ts';
import { renderMatchingError } from './errors.ts';
import { FINAL, matchingGetRun, matchingListRuns } from './handlers.ts';

const MATCHING_UNAUTHORIZED = 'Missing or invalid API key.';

export const matchingApi: ApiModule = {
  name: 'matching',
  title: 'Matching runs',
  basePath: APIS.matching.basePath,
  handlers: { matchingGetRun, matchingListRuns },
  finalRuns: { matchingGetRun: {} },
  securityHandlers: ({ db, principals }) => ({
    MatchingApiKey: apiKeyHandler('matching', db, MATCHING_UNAUTHORIZED, principals),
  }),
  messages: { unauthorized: MATCHING_UNAUTHORIZED },
  renderError: renderMatchingError,
  seedDemo,
  finalRunPaths,
  finalStatuses: FINAL,
};
