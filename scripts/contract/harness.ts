/**
 * The contract harness: reads the five bundled documents and, for every operation and every
 * status it declares, builds the request that earns that status from a target, sends it and
 * applies the checks, named as Schemathesis names them. The harness is shared; only the targets
 * differ (test/contract/targets.ts builds the in-process server and the Prism mock, cli.ts any
 * running deployment). This file holds the operations, the requests and the checks; the probes
 * of each status are ./probes.ts, the run over every operation ./run.ts.
 *
 * How each status is earned (./probes.ts):
 * - 200: a valid request with a demo tenant's key and ids (run paths of the demo manifest, then
 *   values harvested from earlier 2xx bodies, then --param, then the parameter's example);
 *   boundary values of every optional parameter (min, max, each enum value, shortest and longest
 *   string) must be accepted too; a cursor is taken from a real first page (limit = minimum).
 * - 400 / 422 (whichever the operation declares for bad input): one parameter at a time made
 *   invalid (wrong type, out of bounds, overlong, empty, not in the enum), or a required one left
 *   out; against a target with data, also a cursor the server never issued.
 * - 401: no credentials, a malformed Authorization header, an unknown key and another API's key.
 * - 404: data-dependent: an id nobody has, and a run of another tenant read with this tenant's
 *   key. Prism has no data, so the mock is asked with `Prefer: code=404`.
 * - 429: the target's `faults.rateLimited` deployment (a server started with a tiny limit) or,
 *   with `burst`, the target itself, hit with the same key until it refuses. Mock: Prefer.
 * - 500: `faults.internalError`, a deployment whose handlers throw (handlerOverrides). Mock: Prefer.
 * - 503: `faults.unavailable`, a deployment whose store is closed. Mock: Prefer.
 * - 304: the valid request again, with the ETag its 200 carried in If-None-Match.
 * - 413: a GET with a 100 KB body (no operation takes one). Mock: Prefer, without the body.
 * - 431: request headers over Node's limit; the HTTP layer answers it with no body. Mock: Prefer.
 * - `default` (samples): the fallback a client must handle; the server never answers it on
 *   purpose, so it is not probed, and it does not make an undeclared status conformant (below).
 * Anything a target cannot earn is listed in the report as "not probed" with the reason.
 */
import http from 'node:http';
import https from 'node:https';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { inlineRefs, parametersOf, resolveRef, walkOperations } from '../../openapi/document.ts';
import { API_NAMES, type ApiName, specValidator } from './spec.ts';

// ajv-formats is CommonJS with a default export; under NodeNext its default is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

export type Json = Record<string, unknown>;
export type { ApiName };
export { API_NAMES };

/** Schemathesis' check names, plus `status_earned`: the request built for a status got it. */
export const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_headers_conformance',
  'response_schema_conformance',
  'negative_data_rejection',
  'positive_data_acceptance',
  'missing_required_header',
  'ignored_auth',
  'unsupported_method',
  'status_earned',
] as const;
export type CheckName = (typeof CHECKS)[number];

// ---------------------------------------------------------------------------------------------
// The documents
// ---------------------------------------------------------------------------------------------

export interface HeaderSpec {
  name: string;
  required: boolean;
  schema: Json;
}

export interface ResponseSpec {
  key: string;
  headers: HeaderSpec[];
  contentTypes: string[];
  json: boolean;
  examples: string[];
}

export interface ParamSpec {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: Json;
  description: string;
  example: unknown;
  /** A value only the server can issue (a cursor): any other string is refused, whatever the schema says. */
  opaque: boolean;
}

export interface OperationSpec {
  api: ApiName;
  operationId: string;
  method: string;
  path: string;
  params: ParamSpec[];
  responses: Record<string, ResponseSpec>;
  /** Declared numeric statuses, ascending (without `default`). */
  statuses: number[];
  hasDefault: boolean;
  secured: boolean;
  /** The status this operation declares for bad input: 400, or 422 (workflows, FastAPI style). */
  validationStatus: number | undefined;
}

export interface ApiSpec {
  api: ApiName;
  doc: Json;
  operations: OperationSpec[];
  validator: ReturnType<typeof specValidator>;
  methodsByPath: Map<string, string[]>;
}

const specs = new Map<ApiName, ApiSpec>();

/** One API's bundled document as operations, parameters and responses, refs resolved. */
export function loadApiSpec(api: ApiName): ApiSpec {
  const cached = specs.get(api);
  if (cached) return cached;
  const validator = specValidator(api);
  const doc = validator.doc;
  const operations: OperationSpec[] = [];
  const methodsByPath = new Map<string, string[]>();
  for (const at of walkOperations(doc)) {
    const { path, method, op } = at;
    const methods = methodsByPath.get(path) ?? [];
    methodsByPath.set(path, methods);
    methods.push(method.toUpperCase());
    const byKey = new Map<string, ParamSpec>();
    for (const p of parametersOf(doc, at)) {
      const description = String(p.description ?? '');
      const param: ParamSpec = {
        name: String(p.name),
        in: p.in as ParamSpec['in'],
        required: p.required === true,
        schema: inlineRefs(doc, p.schema ?? {}) as Json,
        description,
        example: p.example ?? (inlineRefs(doc, p.schema ?? {}) as Json).example,
        opaque: p.name === 'cursor' || /\bopaque\b/i.test(description),
      };
      if (param.in === 'path' || param.in === 'query' || param.in === 'header') byKey.set(`${p.in}:${p.name}`, param);
    }
    const responses: Record<string, ResponseSpec> = {};
    for (const [key, rawResponse] of Object.entries(op.responses as Json)) {
      const r = resolveRef(doc, rawResponse);
      const content = (r.content as Record<string, Json> | undefined) ?? {};
      const headers = Object.entries((r.headers as Json | undefined) ?? {}).map(([name, h]) => {
        const header = resolveRef(doc, h);
        return { name, required: header.required === true, schema: inlineRefs(doc, header.schema ?? {}) as Json };
      });
      responses[key] = {
        key,
        headers,
        contentTypes: Object.keys(content),
        json: Boolean(content['application/json']?.schema),
        examples: Object.keys((content['application/json']?.examples as Json | undefined) ?? {}),
      };
    }
    const security = (op.security ?? doc.security) as Json[] | undefined;
    const statuses = Object.keys(responses)
      .filter((k) => /^\d{3}$/.test(k))
      .map(Number)
      .sort((a, b) => a - b);
    operations.push({
      api,
      operationId: String(op.operationId),
      method: method.toUpperCase(),
      path,
      params: [...byKey.values()],
      responses,
      statuses,
      hasDefault: 'default' in responses,
      secured: Boolean(security?.length) && !security?.some((s) => Object.keys(s).length === 0),
      validationStatus: statuses.includes(400) ? 400 : statuses.includes(422) ? 422 : undefined,
    });
  }
  const spec = { api, doc, operations, validator, methodsByPath };
  specs.set(api, spec);
  return spec;
}

// ---------------------------------------------------------------------------------------------
// Parameter oracle: would the document accept this raw value? (Independent Ajv, with the type
// coercion that OpenAPI's string serialization of path, query and header values implies.)
// ---------------------------------------------------------------------------------------------

const oracleAjv = new Ajv2020({ strict: false, coerceTypes: true, allErrors: false });
addFormats(oracleAjv);
const oracleCache = new Map<string, ValidateFunction>();

/** True when the document accepts `raw` (undefined: the parameter is left out) for this parameter. */
export function paramAccepts(param: ParamSpec, raw: string | undefined): boolean {
  if (raw === undefined) return !param.required;
  // OpenAPI: an empty query value is refused unless the parameter says allowEmptyValue.
  if (raw === '' && param.in !== 'header') return false;
  const key = JSON.stringify(param.schema);
  let fn = oracleCache.get(key);
  if (!fn) {
    fn = oracleAjv.compile({ type: 'object', properties: { v: param.schema }, required: ['v'] });
    oracleCache.set(key, fn);
  }
  return fn({ v: raw }) as boolean;
}

const headerAjv = new Ajv2020({ strict: false, allErrors: true });
addFormats(headerAjv);
const headerCache = new Map<string, ValidateFunction>();

/** A response header's value against its declared schema (integers are sent as digits). */
function headerValueProblem(schema: Json, raw: string): string | undefined {
  const types = ([] as unknown[]).concat(schema.type ?? []);
  let value: unknown = raw;
  if (types.includes('integer') || types.includes('number')) {
    if (!/^-?\d+(\.\d+)?$/.test(raw.trim())) return `"${raw}" is not a number`;
    value = Number(raw);
  }
  const key = JSON.stringify(schema);
  let fn = headerCache.get(key);
  if (!fn) {
    fn = headerAjv.compile(schema);
    headerCache.set(key, fn);
  }
  return fn(value) ? undefined : `"${raw}" ${headerAjv.errorsText(fn.errors, { dataVar: 'value' })}`;
}

// ---------------------------------------------------------------------------------------------
// Targets and requests
// ---------------------------------------------------------------------------------------------

/** A tenant of the target: its key, any header it needs, and runs it owns (the demo manifest's shape). */
export interface TargetTenant {
  tenant: string;
  apiKey: string;
  headers?: Record<string, string>;
  runs: Array<{ id: string | number; status: string; path: string }>;
  /** A key a person passed on the command line: masked in printed curl commands. */
  secret?: boolean;
}

export interface Target {
  name: string;
  url: string;
  tenants: Partial<Record<ApiName, TargetTenant[]>>;
  /**
   * 'data': statuses are earned from the target's data (the server, a deployment).
   * 'prefer': the target is Prism; data-dependent statuses are asked for with `Prefer: code=`.
   */
  mode: 'data' | 'prefer';
  /** Values for parameters no tenant data supplies, as `api.name` → value (e.g. `taxonomy.tenant_id`). */
  params?: Record<string, string>;
  /** Sibling deployments of the same data where a status is planted (see the header comment). */
  faults?: { rateLimited?: string; internalError?: string; unavailable?: string };
  /** Requests to send with one key to earn a 429 from the target itself (CLI --burst). */
  burst?: number;
  /** Wait out an unexpected 429 (Retry-After, at most this many seconds) and send again. */
  retryOn429?: number;
  /** Things this target cannot do, with the reason the report prints. */
  limits?: { credentials?: string; methodAllow?: string; emptyQuery?: string };
}

export interface ApiRequest {
  baseUrl: string;
  method: string;
  /** Path and query, percent-encoded, sent verbatim (no dot-segment normalization). */
  path: string;
  headers: Record<string, string>;
  /** Sent as is (a GET with a body earns a 413). */
  body?: string;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** No response at all (connection refused or reset, timeout). */
  error?: string;
}

const agents = new Map<string, http.Agent>();

function agentFor(url: URL): http.Agent {
  const key = url.origin;
  let agent = agents.get(key);
  if (!agent) {
    const options = { keepAlive: true, maxSockets: 16 };
    agent = url.protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
    agents.set(key, agent);
  }
  return agent;
}

/** Closes the keep-alive sockets (tests call this before closing their servers). */
export function closeAgents(): void {
  for (const agent of agents.values()) agent.destroy();
  agents.clear();
}

/** Sends one request over a keep-alive agent; never throws. */
export function send(req: ApiRequest, timeoutMs = 15_000): Promise<ApiResponse> {
  return new Promise((resolve) => {
    const url = new URL(req.baseUrl);
    const client = url.protocol === 'https:' ? https : http;
    const basePath = url.pathname.replace(/\/$/, '');
    let settled = false;
    const done = (r: ApiResponse) => {
      if (!settled) {
        settled = true;
        resolve(r);
      }
    };
    try {
      const outgoing = client.request(
        {
          protocol: url.protocol,
          hostname: url.hostname,
          port: url.port,
          method: req.method,
          path: basePath + req.path,
          headers: req.headers,
          agent: agentFor(url),
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const headers: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers)) {
              if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
            }
            done({ status: res.statusCode ?? 0, headers, text: Buffer.concat(chunks).toString('utf8') });
          });
          res.on('error', (e) => done({ status: 0, headers: {}, text: '', error: e.message }));
        },
      );
      outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer in ${timeoutMs} ms`)));
      outgoing.on('error', (e) => done({ status: 0, headers: {}, text: '', error: e.message }));
      outgoing.end(req.body);
    } catch (e) {
      done({ status: 0, headers: {}, text: '', error: `request not sent: ${(e as Error).message}` });
    }
  });
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The request as a curl command (secret keys replaced by $<API>_API_KEY). */
export function curl(req: ApiRequest, secrets: Record<string, string> = {}): string {
  const parts = ['curl -sS -i --path-as-is'];
  if (req.method !== 'GET') parts.push(`-X ${req.method}`);
  parts.push(shellQuote(req.baseUrl.replace(/\/$/, '') + req.path));
  for (const [name, value] of Object.entries(req.headers)) {
    let shown = value;
    for (const [secret, placeholder] of Object.entries(secrets)) shown = shown.split(secret).join(placeholder);
    const run = /^(.)\1{255,}$/su.exec(shown);
    // A probe's padding (one character, kilobytes long) is printed as the shell command that makes it.
    if (run && /^[A-Za-z0-9]$/.test(run[1] ?? '')) {
      parts.push(`-H "${name}: $(printf '%${shown.length}s' '' | tr ' ' '${run[1]}')"`);
      continue;
    }
    parts.push(`-H ${shown === value ? shellQuote(`${name}: ${value}`) : `"${name}: ${shown}"`}`);
  }
  return parts.join(' ');
}

/** Percent-encodes everything but RFC 3986 unreserved characters (OpenAPI's allowReserved: false). */
export const encodeValue = (v: string): string =>
  encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Path and query of an operation from raw (unencoded) values; undefined values are left out. */
export function buildPath(op: OperationSpec, values: Record<string, string | undefined>): string {
  let path = op.path;
  const query: string[] = [];
  for (const p of op.params) {
    const v = values[p.name];
    if (p.in === 'path') path = path.replace(`{${p.name}}`, encodeValue(v ?? ''));
    else if (p.in === 'query' && v !== undefined) query.push(`${encodeValue(p.name)}=${encodeValue(v)}`);
  }
  return query.length ? `${path}?${query.join('&')}` : path;
}

/** The request of an operation: values of path, query and header parameters, plus extra headers. */
export function buildRequest(
  baseUrl: string,
  op: OperationSpec,
  values: Record<string, string | undefined>,
  headers: Record<string, string>,
  method: string = op.method,
): ApiRequest {
  const all: Record<string, string> = { ...headers };
  for (const p of op.params) {
    if (p.in !== 'header') continue;
    if (!Object.hasOwn(values, p.name)) continue;
    for (const k of Object.keys(all)) if (k.toLowerCase() === p.name.toLowerCase()) delete all[k];
    const v = values[p.name];
    if (v !== undefined) all[p.name] = v;
  }
  return { baseUrl, method, path: buildPath(op, values), headers: all };
}

// ---------------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------------

export type Expectation =
  /** Valid input: 2xx, or 404 when the operation declares one (data-dependent); `status` pins it. */
  | { kind: 'accept'; status?: number }
  /** Invalid input: one of these (the operation's bad-input status). */
  | { kind: 'reject'; statuses: number[] }
  /** No, malformed or bad credentials: 401. `missingHeader` also applies missing_required_header. */
  | { kind: 'auth'; missingHeader?: string }
  /** A status that only the target's state gives (404 of data, 429, 500, 503, a Prefer'd example). */
  | { kind: 'earn'; status: number }
  /** A method the path does not declare: 405 with Allow naming the declared ones. */
  | { kind: 'method'; allowed: string[]; requireAllow: boolean };

/** Why a target without data (Prism) must answer this probe differently from the server. */
export type ProbeTag =
  | 'data-404'
  | 'bad-credentials'
  | 'empty-query'
  | 'never-issued-cursor'
  | 'fault'
  | 'oversized-body'
  | 'oversized-headers';

export interface Probe {
  op: OperationSpec;
  label: string;
  request: ApiRequest;
  expect: Expectation;
  tags?: ProbeTag[];
}

export interface CheckFailure {
  check: CheckName;
  message: string;
}

export interface Evaluation {
  applied: CheckName[];
  failures: CheckFailure[];
}

export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

/**
 * Applies every check that concerns this probe to the response. `status_code_conformance` is
 * strict: a `default` response does not make a status conformant (spec/README: the server answers
 * only the declared statuses); bodies of undeclared statuses are still checked against `default`.
 */
export function evaluate(spec: ApiSpec, probe: Probe, res: ApiResponse): Evaluation {
  const applied: CheckName[] = [];
  const failures: CheckFailure[] = [];
  const check = (name: CheckName, problem: string | undefined) => {
    applied.push(name);
    if (problem) failures.push({ check: name, message: problem });
  };
  const { op, expect } = probe;
  if (res.error) {
    check('not_a_server_error', `no response: ${res.error}`);
    return { applied, failures };
  }
  const status = res.status;
  const expected5xx = expect.kind === 'earn' && expect.status >= 500;
  check('not_a_server_error', status >= 500 && !expected5xx ? `answered ${status}: ${snippet(res.text)}` : undefined);

  if (expect.kind === 'method') {
    const allow = res.headers.allow;
    let problem: string | undefined;
    if (status !== 405) problem = `${probe.request.method} answered ${status}, expected 405`;
    else if (expect.requireAllow && !allow) problem = '405 without an Allow header';
    else if (expect.requireAllow && allow) {
      const listed = allow.split(',').map((m) => m.trim().toUpperCase());
      const missing = expect.allowed.filter((m) => !listed.includes(m));
      if (missing.length) problem = `Allow: ${allow} does not name ${missing.join(', ')}`;
    }
    check('unsupported_method', problem);
    return { applied, failures };
  }

  const declared = op.statuses.includes(status);
  const response = op.responses[String(status)] ?? op.responses.default;
  check(
    'status_code_conformance',
    declared ? undefined : `${status} is not declared (declared: ${op.statuses.join(', ')})`,
  );
  if (response) {
    const type = res.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
    if (response.contentTypes.length) {
      check(
        'content_type_conformance',
        !type
          ? 'no Content-Type'
          : response.contentTypes.some((t) => t.toLowerCase() === type)
            ? undefined
            : `Content-Type ${type}, declared: ${response.contentTypes.join(', ')}`,
      );
    }
    const headerProblems: string[] = [];
    for (const h of response.headers) {
      const value = res.headers[h.name.toLowerCase()];
      if (value === undefined) {
        if (h.required) headerProblems.push(`missing ${h.name}`);
        continue;
      }
      const problem = headerValueProblem(h.schema, value);
      if (problem) headerProblems.push(`${h.name}: ${problem}`);
    }
    check('response_headers_conformance', headerProblems.length ? headerProblems.join('; ') : undefined);
    if (response.json && (!type || type === 'application/json' || type.endsWith('+json'))) {
      const parsed = parseJson(res.text);
      if (!parsed.ok) check('response_schema_conformance', `body is not JSON (${parsed.error}): ${snippet(res.text)}`);
      else {
        const { valid, errors } = spec.validator.validate(op.operationId, response.key, parsed.value);
        check('response_schema_conformance', valid ? undefined : `${response.key} body: ${errors}`);
      }
    }
  }

  switch (expect.kind) {
    case 'accept': {
      const ok = expect.status
        ? status === expect.status
        : (status >= 200 && status < 300) || (status === 404 && op.statuses.includes(404));
      check('positive_data_acceptance', ok ? undefined : `valid input answered ${status}: ${snippet(res.text)}`);
      if (expect.status) check('status_earned', status === expect.status ? undefined : `expected ${expect.status}`);
      break;
    }
    case 'reject':
      check(
        'negative_data_rejection',
        expect.statuses.includes(status)
          ? undefined
          : `invalid input answered ${status}, expected ${expect.statuses.join(' or ')}`,
      );
      break;
    case 'auth':
      check('ignored_auth', status === 401 ? undefined : `answered ${status} without valid credentials, expected 401`);
      if (expect.missingHeader) {
        check(
          'missing_required_header',
          status >= 400 && status < 500 && declared
            ? undefined
            : `without ${expect.missingHeader} answered ${status}, expected a declared 4xx`,
        );
      }
      break;
    case 'earn':
      check('status_earned', status === expect.status ? undefined : `expected ${expect.status}, got ${status}`);
      break;
  }
  return { applied, failures };
}

/** The `next_cursor` of a list body (top level or in `meta`), if any. */
export function nextCursorOf(text: string): string | undefined {
  const parsed = parseJson(text);
  if (!parsed.ok || !parsed.value || typeof parsed.value !== 'object') return undefined;
  const body = parsed.value as { next_cursor?: unknown; meta?: { next_cursor?: unknown } };
  const cursor = body.next_cursor ?? body.meta?.next_cursor;
  return typeof cursor === 'string' ? cursor : undefined;
}

const snippet = (text: string) => (text.length > 300 ? `${text.slice(0, 300)}…` : text);

// ---------------------------------------------------------------------------------------------
// What the harness knows about a target's data: ids from run paths and from 2xx bodies.
// ---------------------------------------------------------------------------------------------

export const SUCCESS_FIRST: readonly string[] = ['completed', 'succeeded', 'success', 'done'];

function templateRegex(path: string, prefix: boolean): RegExp {
  const source = path
    .split(/(\{[^}]+\})/)
    .map((part) =>
      part.startsWith('{') ? `(?<${part.slice(1, -1)}>[^/?]+)` : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${source}${prefix ? '(?=/|\\?|$)' : '(?=\\?|$)'}`);
}

/** Path and query values an operation can take from one run path of the manifest. */
export function valuesFromRunPath(op: OperationSpec, runPath: string): Record<string, string> | undefined {
  const full = templateRegex(op.path, false).exec(runPath) ?? templateRegex(op.path, true).exec(runPath);
  if (!full) return undefined;
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(full.groups ?? {})) values[k] = decodeURIComponent(v);
  const query = runPath.split('?')[1];
  if (query) for (const [k, v] of new URLSearchParams(query)) values[k] = v;
  return values;
}

export class Knowledge {
  private readonly byName = new Map<string, string[]>();

  add(name: string, value: unknown): void {
    if (typeof value !== 'string' && typeof value !== 'number') return;
    const list = this.byName.get(name) ?? [];
    const v = String(value);
    if (!list.includes(v) && list.length < 20) list.push(v);
    this.byName.set(name, list);
  }

  get(name: string): string | undefined {
    return this.byName.get(name)?.[0];
  }

  all(name: string): string[] {
    return this.byName.get(name) ?? [];
  }

  /** Every field of a 2xx body by name, and list items' ids for the `{id}` reads under the list. */
  harvest(spec: ApiSpec, op: OperationSpec, body: unknown): void {
    const walk = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          if (k !== 'next_cursor') this.add(k, v);
          walk(v);
        }
      }
    };
    walk(body);
    // A list at P links to the reads at P/{x}: x is the items' own name for it, or their id.
    const items = (body as { data?: unknown } | null)?.data;
    if (!Array.isArray(items)) return;
    for (const other of spec.operations) {
      const m = other.path.startsWith(`${op.path}/{`)
        ? /^\{([^}]+)\}/.exec(other.path.slice(op.path.length + 1))
        : null;
      const name = m?.[1];
      if (!name) continue;
      for (const item of items) {
        const it = item as Json;
        this.add(`${other.operationId}.${name}`, it[name] ?? it.id ?? it.run_id);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------

export interface SentCase {
  label: string;
  request: ApiRequest;
  status: number;
  failures: CheckFailure[];
}

export interface OperationReport {
  api: ApiName;
  operationId: string;
  method: string;
  path: string;
  sent: number;
  /** Failing requests per check. */
  failuresByCheck: Partial<Record<CheckName, number>>;
  /** Requests each check looked at. */
  checked: Partial<Record<CheckName, number>>;
  failures: SentCase[];
  /** Declared statuses the run got, and how. */
  earned: Record<string, string>;
  /** Declared statuses (or checks) the run could not probe on this target, with the reason. */
  notProbed: Record<string, string>;
  /** The known-good request of this operation (the fuzzer mutates it). */
  base?: BaseRequest;
}

export interface BaseRequest {
  values: Record<string, string | undefined>;
  headers: Record<string, string>;
  /** Where each value came from (demo, harvested, param, example, schema). */
  sources: Record<string, string>;
  /** Cursors the target issued for this operation. */
  cursors: string[];
}

export interface ContractReport {
  target: string;
  operations: OperationReport[];
}

export interface RunOptions {
  apis?: ApiName[];
  /** Only these operationIds. */
  operations?: string[];
  /** Called with each response (tests use it to collect a corpus). */
  onResponse?: (probe: Probe, res: ApiResponse) => void;
  /** Only find each operation's known-good request and cursors (what the fuzzer starts from). */
  discover?: boolean;
}

export const BAD_KEY = 'contract-test-invalid-credential-0000';

/** A placeholder value that satisfies a schema, for a parameter no data supplies. */
export function schemaValue(schema: Json): string {
  if (Array.isArray(schema.enum) && schema.enum.length) return String(schema.enum[0]);
  const types = ([] as unknown[]).concat(schema.type ?? 'string');
  if (types.includes('integer') || types.includes('number')) return String(schema.minimum ?? 1);
  if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000001';
  if (schema.format === 'date-time') return '2026-01-01T00:00:00Z';
  return 'a'.repeat(Math.max(1, Number(schema.minLength ?? 1)));
}

/** A valid value nobody has: what a read of it must answer with 404. */
export function unknownValue(p: ParamSpec): string {
  const types = ([] as unknown[]).concat(p.schema.type ?? 'string');
  if (types.includes('integer')) {
    const max = typeof p.schema.maximum === 'number' ? p.schema.maximum : 2_147_483_000;
    return String(Math.min(max, 2_147_483_000));
  }
  if (p.schema.format === 'uuid') return 'c0de0000-0000-4000-8000-00000000c0de';
  const len = Math.max(Number(p.schema.minLength ?? 1), Math.min(Number(p.schema.maxLength ?? 40), 40));
  return `contract-unknown-${p.name}`.padEnd(len, 'x').slice(0, Math.max(len, 1));
}

/** A handful of values the document refuses for one parameter (deterministic; the fuzzer does the rest). */
export function invalidSamples(p: ParamSpec): Array<{ value: string | undefined; why: string }> {
  const out: Array<{ value: string | undefined; why: string }> = [];
  const s = p.schema;
  const types = ([] as unknown[]).concat(s.type ?? 'string');
  if (p.required && p.in !== 'path') out.push({ value: undefined, why: 'left out' });
  if (Array.isArray(s.enum)) {
    out.push({ value: 'not_in_the_enum', why: 'not in the enum' });
    out.push({ value: String(s.enum[0]).toUpperCase(), why: 'enum value in the wrong case' });
  } else if (types.includes('integer') || types.includes('number')) {
    out.push({ value: 'abc', why: 'wrong type' });
    if (types.includes('integer')) out.push({ value: '1.5', why: 'not an integer' });
    if (typeof s.minimum === 'number') out.push({ value: String(s.minimum - 1), why: 'below the minimum' });
    if (typeof s.maximum === 'number') out.push({ value: String(s.maximum + 1), why: 'above the maximum' });
  } else {
    if (s.format === 'uuid') {
      out.push({ value: 'not-a-uuid', why: 'not a UUID' });
      out.push({ value: "1' OR '1'='1", why: 'injection-looking, not a UUID' });
    }
    if (typeof s.maxLength === 'number') out.push({ value: 'x'.repeat(s.maxLength + 1), why: 'one over maxLength' });
    if (typeof s.maxLength === 'number')
      out.push({ value: 'é'.repeat(s.maxLength + 1), why: 'one over maxLength, non-ASCII' });
  }
  if (p.in !== 'path' && !p.opaque && typeof s.minLength === 'number' && s.minLength > 0)
    out.push({ value: '', why: 'empty' });
  if (p.in === 'query' && !out.some((o) => o.value === '')) out.push({ value: '', why: 'empty query value' });
  return out.filter((o) => (o.value === undefined ? p.required : !paramAccepts(p, o.value)));
}

/** Valid boundary values of a parameter: min, max, each enum value, shortest and longest string. */
export function boundarySamples(p: ParamSpec): Array<{ value: string; why: string }> {
  const s = p.schema;
  const types = ([] as unknown[]).concat(s.type ?? 'string');
  const out: Array<{ value: string; why: string }> = [];
  if (p.opaque) return out;
  if (Array.isArray(s.enum)) for (const v of s.enum) out.push({ value: String(v), why: `enum value ${v}` });
  else if (types.includes('integer') || types.includes('number')) {
    if (typeof s.minimum === 'number') out.push({ value: String(s.minimum), why: 'the minimum' });
    if (typeof s.maximum === 'number') out.push({ value: String(s.maximum), why: 'the maximum' });
  } else if (s.format === 'uuid') {
    out.push({ value: '00000000-0000-0000-0000-000000000000', why: 'the nil UUID' });
    out.push({ value: 'C0DE0000-0000-4000-8000-00000000C0DE', why: 'an upper-case UUID' });
  } else if (!s.format) {
    const min = Math.max(1, Number(s.minLength ?? 1));
    out.push({ value: 'a'.repeat(min), why: 'the shortest' });
    if (typeof s.maxLength === 'number') {
      out.push({ value: 'z'.repeat(s.maxLength), why: 'the longest' });
      if (p.in !== 'header') out.push({ value: 'ü'.repeat(s.maxLength), why: 'the longest, non-ASCII' });
    }
    if (p.in !== 'header') out.push({ value: "' OR 1=1; --", why: 'an injection-looking string' });
  }
  return out.filter((o) => paramAccepts(p, o.value));
}

/** Every declared status of an operation (not `default`) the run did not earn and did not excuse. */
export function unearnedStatuses(report: OperationReport, op: OperationSpec): number[] {
  return op.statuses.filter((s) => !(String(s) in report.earned) && !(String(s) in report.notProbed));
}

export function totalFailures(report: ContractReport): number {
  return report.operations.reduce((n, o) => n + o.failures.length, 0);
}

/** The printed report: per operation, requests sent, statuses, failures by check, first failure as curl. */
export function formatReport(report: ContractReport, secrets: Record<string, string> = {}): string {
  const lines = [`Contract report for ${report.target}`];
  for (const o of report.operations) {
    const spec = loadApiSpec(o.api).operations.find((x) => x.operationId === o.operationId);
    lines.push('', `${o.api} ${o.method} ${o.path} (${o.operationId})`);
    const mark = (s: number) => (String(s) in o.earned ? '✓' : String(s) in o.notProbed ? '–' : '✗');
    const earned = spec?.statuses.map((s) => `${s}${mark(s)}`).join(' ');
    lines.push(`  requests sent: ${o.sent}   statuses (✓ earned, – not probed, ✗ missed): ${earned}`);
    for (const [what, why] of Object.entries(o.notProbed)) lines.push(`  not probed: ${what}: ${why}`);
    const byCheck = Object.entries(o.failuresByCheck);
    if (!byCheck.length) {
      lines.push(`  failures: none (${Object.keys(o.checked).length} checks applied)`);
      continue;
    }
    lines.push(`  failures: ${byCheck.map(([c, n]) => `${c} ×${n}`).join(', ')}`);
    const first = o.failures[0];
    if (first) {
      lines.push(`  first failing request (${first.label}, answered ${first.status}):`);
      for (const f of first.failures) lines.push(`    ${f.check}: ${f.message}`);
      lines.push(`    ${curl(first.request, secrets)}`);
    }
  }
  const failing = report.operations.filter((o) => o.failures.length);
  const sent = report.operations.reduce((n, o) => n + o.sent, 0);
  lines.push(
    '',
    `${report.operations.length} operations, ${sent} requests, ${totalFailures(report)} failing requests in ${failing.length} operations`,
  );
  return lines.join('\n');
}

/** One line per failing request, for test assertion messages. */
export function describeFailures(
  report: ContractReport | OperationReport[],
  secrets: Record<string, string> = {},
): string {
  const ops = Array.isArray(report) ? report : report.operations;
  return ops
    .flatMap((o) =>
      o.failures.map(
        (f) =>
          `${o.operationId} — ${f.label} → ${f.status}\n  ${f.failures.map((x) => `${x.check}: ${x.message}`).join('\n  ')}\n  ${curl(f.request, secrets)}`,
      ),
    )
    .join('\n');
}
