import type { RequestValidator } from '../generated/request-validators.js';
import * as validators from '../generated/request-validators.js';
import type { OperationScenarios } from './scenarios.ts';

/** One invalid input of a request, named as the server names it. */
export interface InputIssue {
  location: 'path' | 'query' | 'header';
  name: string;
  /** The validator's wording (Ajv's, as the server's express-openapi-validator words it). */
  message: string;
  /** The raw value sent, when there was one. */
  value: string | undefined;
}

const byOperation = validators as unknown as Record<string, RequestValidator | undefined>;

/**
 * The first invalid parameter of a request against the operation's declared path, query and
 * header parameters (generated Ajv code, no Ajv at run time), or undefined when it is valid.
 */
export function requestIssue(
  op: OperationScenarios,
  request: Request,
  pathParams: Record<string, string | readonly string[] | undefined>,
): InputIssue | undefined {
  const validate = byOperation[op.operationId];
  if (!validate) return undefined;
  const path: Record<string, string> = {};
  for (const [name, value] of Object.entries(pathParams)) if (typeof value === 'string') path[name] = value;
  const query: Record<string, string> = {};
  for (const [name, value] of new URL(request.url).searchParams) {
    if (name in query) continue;
    // OpenAPI refuses an empty query value unless allowEmptyValue says otherwise; so does the server.
    if (value === '')
      return { location: 'query', name, message: `Empty value found for query parameter '${name}'`, value };
    query[name] = value;
  }
  const header: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    header[name.toLowerCase()] = value;
  });
  const raw = { path: { ...path }, query: { ...query }, header: { ...header } };
  if (validate({ path, query, header })) return undefined;
  const error = validate.errors?.[0];
  if (!error) return undefined;
  const [, location = 'query', property] = error.instancePath.split('/');
  const loc = location as InputIssue['location'];
  if (error.keyword === 'required') {
    const name = String(error.params.missingProperty);
    return { location: loc, name, message: `must have required property '${name}'`, value: undefined };
  }
  if (error.keyword === 'additionalProperties') {
    const name = String(error.params.additionalProperty);
    return { location: loc, name, message: `Unknown query parameter '${name}'`, value: raw.query[name] };
  }
  const name = decodeURIComponent(property ?? loc);
  const value = (raw[loc] as Record<string, string | undefined>)[name];
  return { location: loc, name, message: error.message ?? 'is invalid', value };
}
