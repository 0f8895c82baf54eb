import type { Client } from 'openapi-fetch';
import type { components, operations, paths } from '../generated/samples.ts';
import { type ClientOptions, createApiClient } from './create.ts';
import type { ApiError } from './errors.ts';

export type SamplesPaths = paths;
export type SamplesOperations = operations;
export type SamplesSchemas = components['schemas'];
export type SamplesErrorBody = components['schemas']['SamplesError'];
export type SamplesApiError = ApiError<SamplesErrorBody>;
export type SamplesClient = Client<paths>;

/** Samples regression platform API at /api/v1/runs: runs and their computed summaries. */
export function createSamplesClient(options: ClientOptions): SamplesClient {
  return createApiClient<paths>(options);
}
