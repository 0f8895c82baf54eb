import type { RequestHandler } from 'express';
import { type Json, parametersOf, walkOperations } from '../../openapi/document.ts';
import { type InputIssue, Problem } from '../core/problems.ts';

type Location = 'path' | 'query';

/** The one spelling of an integer: no sign but '-', no leading zero, no exponent, radix or blank. */
const CANONICAL_INTEGER = /^-?(0|[1-9]\d*)$/;

/** Integer parameters (path and query) of every operation, by OpenAPI route and method. */
function integerParameters(doc: Json): Map<string, Array<{ name: string; in: Location }>> {
  const out = new Map<string, Array<{ name: string; in: Location }>>();
  for (const at of walkOperations(doc)) {
    if (!('responses' in at.op)) continue;
    out.set(
      `${at.method.toUpperCase()} ${at.path}`,
      parametersOf(doc, at)
        .filter((p) => (p.in === 'path' || p.in === 'query') && (p.schema as Json | undefined)?.type === 'integer')
        .map((p) => ({ name: String(p.name), in: p.in as Location })),
    );
  }
  return out;
}

/**
 * The validator coerces `0x65`, `1e2`, `0b1100101` and ` 101` to 101 (Number() rules), so one run
 * would answer to many ids. After validation, each integer parameter is checked in the spelling the
 * client sent: anything but a canonical decimal is a 400 in the API's own shape.
 */
export function canonicalIntegers(doc: Json): RequestHandler {
  const byOperation = integerParameters(doc);
  return function requireCanonicalIntegers(req, _res, next) {
    const openapi = req.openapi as { openApiRoute?: string } | undefined;
    const route = openapi?.openApiRoute ?? '';
    // The documents' servers carry no base path, so the route is the document's path key.
    const params = byOperation.get(`${req.method === 'HEAD' ? 'GET' : req.method} ${route}`) ?? [];
    if (params.length === 0) return next();
    const [rawPath = '', rawQuery = ''] = req.originalUrl.split('?', 2) as [string, string?];
    const query = new URLSearchParams(rawQuery);
    const routeSegments = route.split('/');
    const pathSegments = rawPath.split('/');
    for (const param of params) {
      let values: string[];
      if (param.in === 'query') values = query.getAll(param.name);
      else {
        const at = routeSegments.indexOf(`{${param.name}}`);
        const segment = at >= 0 ? pathSegments[at] : undefined;
        values = segment === undefined ? [] : [safeDecode(segment)];
      }
      if (values.every((v) => CANONICAL_INTEGER.test(v))) continue;
      const issue: InputIssue = { location: param.in, name: param.name, message: 'must be integer' };
      next(
        new Problem(
          'bad_request',
          `Invalid ${param.in} parameter '${param.name}': must be a decimal integer.`,
          { parameter: param.name, location: param.in },
          {},
          [issue],
        ),
      );
      return;
    }
    next();
  };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
