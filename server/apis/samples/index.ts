import { APIS } from '../../../generated/apis.ts';
import type { ApiModule } from '../../core/types.ts';
import { apiKeyHandler } from '../../http/api-key-auth.ts';
import { FINAL, finalRunPaths, seedDemo } from './demo.ts';
import { renderSamplesError } from './errors.ts';
import { samplesGetRunSummary, samplesListRuns } from './handlers.ts';

const SAMPLES_UNAUTHORIZED = 'Bearer token is missing, expired, or invalid.';

export const samplesApi: ApiModule = {
  name: 'samples',
  title: 'Samples regression platform',
  basePath: APIS.samples.basePath,
  finalRuns: { samplesGetRunSummary: {} },
  handlers: { samplesGetRunSummary, samplesListRuns },
  securityHandlers: ({ db, principals }) => ({
    SamplesBearerToken: apiKeyHandler('samples', db, SAMPLES_UNAUTHORIZED, principals),
  }),
  messages: { unauthorized: SAMPLES_UNAUTHORIZED },
  renderError: renderSamplesError,
  seedDemo,
  finalRunPaths,
  finalStatuses: FINAL,
};
