/** A non-2xx answer, thrown by unwrap() for callers who prefer exceptions to `{ data, error }`. */
export class ApiError<Body = unknown> extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly body: Body;
  /** The server's X-Request-Id, to quote to support; null when the answer carried none. */
  readonly requestId: string | null;

  constructor(status: number, body: Body, requestId: string | null) {
    super(`HTTP ${status}${requestId ? ` (request ${requestId})` : ''}: ${describe(body)}`);
    this.status = status;
    this.body = body;
    this.requestId = requestId;
  }
}

export function isApiError<Body = unknown>(value: unknown): value is ApiError<Body> {
  return value instanceof ApiError;
}

/** The shape openapi-fetch resolves to: exactly one of data or error is set. */
type Outcome = { data?: unknown; error?: unknown; response: Response };
type DataOf<R extends Outcome> = NonNullable<Extract<R, { error?: never }>['data']>;
export type ErrorOf<R extends Outcome> = Extract<R, { data?: never }>['error'];

/** Resolves to the typed body of a 2xx, or throws ApiError with the API's own error body. */
export async function unwrap<R extends Outcome>(call: Promise<R> | R): Promise<DataOf<R>> {
  const { data, error, response } = await call;
  if (!response.ok) throw new ApiError<ErrorOf<R>>(response.status, error as ErrorOf<R>, requestIdOf(response));
  return data as DataOf<R>;
}

function requestIdOf(response: Response): string | null {
  return response.headers.get('x-request-id');
}

// Each API words its errors differently; pick whichever message field this one uses.
function describe(body: unknown): string {
  if (typeof body === 'string') return body.slice(0, 200);
  if (!body || typeof body !== 'object') return 'no body';
  const b = body as { message?: unknown; detail?: unknown; error?: { message?: unknown } };
  const message = b.message ?? b.error?.message ?? b.detail;
  return typeof message === 'string' ? message : JSON.stringify(message ?? body).slice(0, 200);
}
