export { type ClientOptions, createApiClient, type TokenSource } from './create.ts';
export { ApiError, type ErrorOf, isApiError, unwrap } from './errors.ts';
export * from './matching.ts';
export { type PreferOptions, parsePrefer, prefer } from './prefer.ts';
export { type RetryOptions, retryAfterMs } from './retry.ts';
export * from './samples.ts';
export * from './taxonomy.ts';
export * from './telemetry.ts';
export * from './workflows.ts';
