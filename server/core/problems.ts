/**
 * The one catalog of failures the server can answer with. Every API renders these in its own
 * error body (server/apis/<api>/errors.ts); nothing else builds an error response.
 */
export const PROBLEM_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
} as const;

export type ProblemKind = keyof typeof PROBLEM_STATUS;

/** Wording when neither the failure nor the API says more. */
export const DEFAULT_MESSAGES: Record<ProblemKind, string> = {
  bad_request: 'The request is malformed.',
  unauthorized: 'Missing or invalid API key.',
  not_found: 'No such resource.',
  method_not_allowed: 'Method not allowed on this path.',
  payload_too_large: 'The request body is too large.',
  rate_limited: 'Too many requests. Retry after the period indicated in the Retry-After header.',
  internal_error: 'An unexpected error occurred.',
  service_unavailable: 'The data store is unreachable. Retry after the period indicated in the Retry-After header.',
};

/** One invalid input, as the validator reported it. */
export interface InputIssue {
  location: 'path' | 'query' | 'header' | 'body';
  name: string;
  message: string;
}

export class Problem extends Error {
  readonly kind: ProblemKind;
  readonly details: Record<string, unknown>;
  readonly headers: Record<string, string>;
  readonly issues: InputIssue[];
  constructor(
    kind: ProblemKind,
    message: string,
    details: Record<string, unknown> = {},
    headers: Record<string, string> = {},
    issues: InputIssue[] = [],
  ) {
    super(message);
    this.name = 'Problem';
    this.kind = kind;
    this.details = details;
    this.headers = headers;
    this.issues = issues;
  }
  get status(): number {
    return PROBLEM_STATUS[this.kind];
  }
}

export const problem = (
  kind: ProblemKind,
  message: string,
  details?: Record<string, unknown>,
  headers?: Record<string, string>,
): Problem => new Problem(kind, message, details, headers);
