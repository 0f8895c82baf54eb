import type { Client } from 'openapi-fetch';
import type { components, operations, paths } from '../generated/telemetry.ts';
import { type ClientOptions, createApiClient } from './create.ts';
import type { ApiError } from './errors.ts';

export type TelemetryPaths = paths;
export type TelemetryOperations = operations;
export type TelemetrySchemas = components['schemas'];
export type TelemetryErrorBody = components['schemas']['TelemetryError'];
export type TelemetryApiError = ApiError<TelemetryErrorBody>;
export type TelemetryClient = Client<paths>;

/** Structuring Telemetry API at /v1/telemetry: run summaries and schema summaries. */
export function createTelemetryClient(options: ClientOptions): TelemetryClient {
  return createApiClient<paths>(options);
}
