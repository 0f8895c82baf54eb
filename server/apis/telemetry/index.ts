import type { ApiModule } from '../types.ts';

// Placeholder until the telemetry handlers land: answers 500 for every operation.
export const telemetryApi: ApiModule = {
  name: 'telemetry',
  title: 'Telemetry',
  basePath: '/__telemetry_pending',
  document: 'generated/openapi/telemetry.json',
  handlers: {},
  securityHandlers: () => ({}),
  renderError: (p) => ({ status: p.status, body: { message: p.message } }),
  seedDemo: async () => [],
};
