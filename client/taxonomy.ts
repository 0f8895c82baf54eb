import type { Client } from 'openapi-fetch';
import type { components, operations, paths } from '../generated/taxonomy.ts';
import { type ClientOptions, createApiClient } from './create.ts';
import type { ApiError } from './errors.ts';

export type TaxonomyPaths = paths;
export type TaxonomyOperations = operations;
export type TaxonomySchemas = components['schemas'];
export type TaxonomyErrorBody = components['schemas']['TaxonomyError'];
export type TaxonomyApiError = ApiError<TaxonomyErrorBody>;
export type TaxonomyClient = Client<paths>;

/** Taxonomy Hub API at /v1/taxonomy; every call names its `tenant_id`. */
export function createTaxonomyClient(options: ClientOptions): TaxonomyClient {
  return createApiClient<paths>(options);
}
