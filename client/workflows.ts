import type { Client } from 'openapi-fetch';
import type { components, operations, paths } from '../generated/workflows.ts';
import { type ClientOptions, createApiClient, defaultHeaders } from './create.ts';
import type { ApiError } from './errors.ts';

export type WorkflowsPaths = paths;
export type WorkflowsOperations = operations;
export type WorkflowsSchemas = components['schemas'];
/** FastAPI style: `{detail: string}`, or the 422's `{detail: [{loc, msg, type}]}`. */
export type WorkflowsErrorBody =
  | components['schemas']['WorkflowsError']
  | components['schemas']['WorkflowsValidationError'];
export type WorkflowsApiError = ApiError<WorkflowsErrorBody>;
export type WorkflowsClient = Client<paths>;

export interface WorkflowsClientOptions extends ClientOptions {
  /** Sent as X-Workspace-Id on every call; omitted, the server reads the caller's default workspace. */
  workspaceId?: string;
}

/** Workflows run API at /api/v1/workflows; the token is a Clerk JWT or a live API key (op_live_...). */
export function createWorkflowsClient(options: WorkflowsClientOptions): WorkflowsClient {
  return createApiClient<paths>(options, [defaultHeaders({ 'X-Workspace-Id': options.workspaceId })]);
}
