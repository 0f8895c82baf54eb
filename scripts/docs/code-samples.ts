/**
 * x-codeSamples for the reference docs, generated from the document at build time: the curl the
 * vendor's page shows (its token variable and flags, our base URL) and the call through this
 * package's typed client. Every value a reader fills in is a shell or environment variable named
 * after the parameter (`{run_id}` -> `$RUN_ID`), so a test can run each sample as written.
 */
import type { ApiName } from '../../generated/apis.ts';
import { type Json, parametersOf, walkOperations } from '../../openapi/document.ts';

export type SampleApi = ApiName;

interface ApiStyle {
  /** The variable holding the bearer token, as the vendor's page names it. */
  tokenVar: string;
  factory: string;
  /** Extra flags the vendor's curl carries. */
  curlHeaders: string[];
  /** The vendor's curl spells out `--request GET` and `--header` (samples' page does). */
  longFlags: boolean;
}

export const SAMPLE_STYLES: Record<SampleApi, ApiStyle> = {
  telemetry: { tokenVar: 'API_KEY', factory: 'createTelemetryClient', curlHeaders: [], longFlags: false },
  workflows: {
    tokenVar: 'TOKEN',
    factory: 'createWorkflowsClient',
    curlHeaders: ['Content-Type: application/json'],
    longFlags: false,
  },
  matching: { tokenVar: 'API_KEY', factory: 'createMatchingClient', curlHeaders: [], longFlags: false },
  taxonomy: { tokenVar: 'HUB_API_KEY', factory: 'createTaxonomyClient', curlHeaders: [], longFlags: false },
  samples: { tokenVar: 'ACCESS_TOKEN', factory: 'createSamplesClient', curlHeaders: [], longFlags: true },
};

/**
 * Redoc's language switch (its `codeSamples.languages` option): Redoc keys an entry and a sample
 * alike by its label in lower case, so each entry's label is its samples' label.
 */
export const SAMPLE_LANGUAGES = [
  { lang: 'curl', label: 'curl' },
  { lang: 'TypeScript', label: 'Typed client' },
];

export interface CodeSample {
  lang: string;
  label: string;
  source: string;
}

/** `run_id` -> `RUN_ID`, `X-Workspace-Id` -> `X_WORKSPACE_ID`: the variable a reader sets. */
export const variableOf = (name: string) => name.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase();

interface Parameter {
  name: string;
  in: string;
  required: boolean;
  type: string;
}

function parametersIn(doc: Json, op: Json, item: Json): Parameter[] {
  return parametersOf(doc, { item, op }).map((p) => ({
    name: String(p.name),
    in: String(p.in),
    required: p.required === true,
    type: String(((p.schema ?? {}) as Json).type ?? 'string'),
  }));
}

/** The two samples of one operation: the vendor-style curl and the typed-client call. */
export function codeSamplesOf(api: SampleApi, doc: Json, path: string, method: string, baseUrl: string): CodeSample[] {
  const pathItem = (doc.paths as Record<string, Json>)[path] ?? {};
  const op = (pathItem[method] ?? {}) as Json;
  const style = SAMPLE_STYLES[api];
  const params = parametersIn(doc, op, pathItem);
  const required = params.filter((p) => p.required);
  const query = required.filter((p) => p.in === 'query');
  const headers = required.filter((p) => p.in === 'header');

  const urlPath = path.replace(/\{(\w+)\}/g, (_, name: string) => `$${variableOf(name)}`);
  const queryString = query.map((p) => `${p.name}=$${variableOf(p.name)}`).join('&');
  const url = `${baseUrl}${urlPath}${queryString ? `?${queryString}` : ''}`;
  const flag = style.longFlags ? '--header' : '-H';
  const lines = [style.longFlags ? `curl \\\n --request ${method.toUpperCase()} "${url}"` : `curl "${url}"`];
  if (!style.longFlags && method !== 'get') lines[0] = `curl -X ${method.toUpperCase()} "${url}"`;
  lines.push(`${flag} "Authorization: Bearer $${style.tokenVar}"`);
  for (const h of headers) lines.push(`${flag} "${h.name}: $${variableOf(h.name)}"`);
  for (const h of style.curlHeaders) lines.push(`${flag} "${h}"`);
  const curl = lines.join(' \\\n  ');

  const value = (p: Parameter) =>
    p.type === 'integer' || p.type === 'number'
      ? `Number(process.env.${variableOf(p.name)})`
      : `process.env.${variableOf(p.name)} ?? ''`;
  const group = (location: string) => {
    const members = required.filter((p) => p.in === location).map((p) => `${p.name}: ${value(p)}`);
    return members.length > 0 ? `${location}: { ${members.join(', ')} }` : undefined;
  };
  const groups = ['path', 'query', 'header'].map(group).filter(Boolean);
  const call = groups.length > 0 ? `, {\n  params: { ${groups.join(', ')} },\n}` : '';
  const client = [
    `import { ${style.factory} } from '@run-api-contracts/client';`,
    '',
    `const client = ${style.factory}({ baseUrl: '${baseUrl}', token: process.env.${style.tokenVar} ?? '' });`,
    `const { data, error } = await client.${method.toUpperCase()}('${path}'${call});`,
    'if (error) throw new Error(JSON.stringify(error));',
    'console.log(data);',
  ].join('\n');

  return [
    { lang: 'curl', label: 'curl', source: curl },
    { lang: 'TypeScript', label: 'Typed client', source: client },
  ];
}

/** Every operation of the document gets its two samples (a copy; the input is left alone). */
export function withCodeSamples(api: SampleApi, doc: Json, baseUrl: string): Json {
  const out = structuredClone(doc);
  for (const { path, method, op } of walkOperations(out)) {
    if ('operationId' in op) op['x-codeSamples'] = codeSamplesOf(api, out, path, method, baseUrl);
  }
  return out;
}
