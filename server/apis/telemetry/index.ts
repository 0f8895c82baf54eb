import { APIS } from '../../../generated/apis.ts';
import type { ApiModule } from '../../core/types.ts';
import { apiKeyHandler } from '../../http/api-key-auth.ts';
import { FINAL, finalRunPaths, seedDemo } from './demo.ts';
import { renderTelemetryError } from './errors.ts';
import { telemetryGetRunSummary, telemetryGetSchemaSummary, telemetryListRuns } from './handlers.ts';

const TELEMETRY_UNAUTHORIZED = 'Missing or invalid API key.';

export const telemetryApi: ApiModule = {
  name: 'telemetry',
  title: 'Structuring telemetry',
  basePath: APIS.telemetry.basePath,
  handlers: { telemetryGetRunSummary, telemetryGetSchemaSummary, telemetryListRuns },
  finalRuns: { telemetryGetRunSummary: {} },
  securityHandlers: ({ db, principals }) => ({
    TelemetryApiKey: apiKeyHandler('telemetry', db, TELEMETRY_UNAUTHORIZED, principals),
  }),
  messages: { unauthorized: TELEMETRY_UNAUTHORIZED },
  renderError: renderTelemetryError,
  seedDemo,
  finalRunPaths,
  finalStatuses: FINAL,
};
