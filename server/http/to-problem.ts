import { InvalidCursor, StoreUnavailable } from '../core/errors.ts';
import { type InputIssue, Problem } from '../core/problems.ts';

interface ValidatorError {
  status: number;
  message?: string;
  errors?: Array<{ path?: string; message?: string }>;
  headers?: Record<string, string>;
  type?: string;
}

const LOCATIONS: Record<string, InputIssue['location']> = {
  params: 'path',
  path: 'path',
  query: 'query',
  headers: 'header',
  header: 'header',
  body: 'body',
};

/** Names and messages can echo raw input (an unknown parameter's name): keep them inside every error schema. */
const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** `/query/limit`, `.query.limit` or `query.limit` as the validator reports it. */
function toIssue(e: { path?: string; message?: string }): InputIssue {
  const message = clip(e.message ?? 'is invalid', 200);
  // A path that cannot be percent-decoded is reported with the whole path as its "name".
  if (/malformed uri/i.test(message))
    return { location: 'path', name: 'path', message: 'is not a valid percent-encoded URI' };
  const parts = (e.path ?? '').split(/[./]/).filter(Boolean);
  const location = LOCATIONS[parts[0] ?? ''] ?? 'body';
  return { location, name: clip(parts.slice(1).join('.') || parts[0] || 'request', 100), message };
}

/** Maps anything a middleware or handler threw to one problem of the catalog. */
export function toProblem(err: unknown): Problem {
  if (err instanceof Problem) return err;
  if (err instanceof InvalidCursor) {
    return new Problem('bad_request', err.message, { parameter: err.parameter, location: 'query' });
  }
  if (err instanceof StoreUnavailable) {
    return new Problem(
      'service_unavailable',
      'The data store is unreachable. Retry shortly.',
      {},
      { 'Retry-After': '5' },
    );
  }
  const e = err as ValidatorError | null;
  const status = typeof e?.status === 'number' ? e.status : 500;
  // body-parser's own errors, before the validator sees the request
  if (e?.type === 'entity.too.large') return new Problem('payload_too_large', 'The request body is too large.');
  if (e?.type === 'entity.parse.failed') return new Problem('bad_request', 'The request body is not valid JSON.');
  switch (status) {
    case 400: {
      const issues = (e?.errors ?? []).map(toIssue);
      const first = issues[0];
      const message = first
        ? `Invalid ${first.location} parameter '${first.name}': ${first.message.replace(/\.+$/, '')}.`
        : 'Invalid request.';
      return new Problem(
        'bad_request',
        message,
        first ? { parameter: first.name, location: first.location } : {},
        {},
        issues,
      );
    }
    case 401:
    case 403:
      // The validator's own wording ("Authorization header required") gives way to the API's.
      return new Problem(
        'unauthorized',
        e?.message && !/^(unauthorized|Authorization header)/.test(e.message) ? e.message : '',
      );
    case 404:
      return new Problem('not_found', '');
    case 405:
      return new Problem('method_not_allowed', 'Method not allowed on this path.', {}, e?.headers ?? {});
    case 413:
      return new Problem('payload_too_large', 'The request body is too large.');
    case 415:
      // No operation takes a body, and no spec declares a 415: a body the parser cannot read (an
      // unknown charset) is plain bad input, in each API's own 400 (workflows: 422).
      return new Problem('bad_request', 'The request body is in a charset this server cannot read.');
    case 503:
      return new Problem(
        'service_unavailable',
        'The data store is unreachable. Retry shortly.',
        {},
        { 'Retry-After': '5' },
      );
    default:
      return new Problem('internal_error', 'Internal server error.');
  }
}
