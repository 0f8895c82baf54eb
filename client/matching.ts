import type { Client } from 'openapi-fetch';
import type { components, operations, paths } from '../generated/matching.ts';
import { type ClientOptions, createApiClient } from './create.ts';
import type { ApiError } from './errors.ts';

export type MatchingPaths = paths;
export type MatchingOperations = operations;
export type MatchingSchemas = components['schemas'];
export type MatchingErrorBody = components['schemas']['MatchingError'];
export type MatchingApiError = ApiError<MatchingErrorBody>;
export type MatchingClient = Client<paths>;

/** Matching Runs API at /v1/matching: runs and their results. */
export function createMatchingClient(options: ClientOptions): MatchingClient {
  return createApiClient<paths>(options);
}
