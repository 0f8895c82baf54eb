import type { operations as MatchingOperations } from '../generated/matching.ts';
import matching from '../generated/openapi/matching.json' with { type: 'json' };
import samples from '../generated/openapi/samples.json' with { type: 'json' };
import taxonomy from '../generated/openapi/taxonomy.json' with { type: 'json' };
import telemetry from '../generated/openapi/telemetry.json' with { type: 'json' };
import workflows from '../generated/openapi/workflows.json' with { type: 'json' };
import type { operations as SamplesOperations } from '../generated/samples.ts';
import type { operations as TaxonomyOperations } from '../generated/taxonomy.ts';
import type { operations as TelemetryOperations } from '../generated/telemetry.ts';
import type { operations as WorkflowsOperations } from '../generated/workflows.ts';

// The bundled documents are the only source of examples: Prism serves them from the same files,
// and JSON imports keep this module usable in a browser bundle (MSW's worker) as well as in Node.

import { API_NAMES, type ApiName } from '../generated/apis.ts';
import { type Json, resolveRef, walkOperations } from '../openapi/document.ts';

export { API_NAMES, type ApiName };
export type OperationId =
  | keyof TelemetryOperations
  | keyof WorkflowsOperations
  | keyof MatchingOperations
  | keyof TaxonomyOperations
  | keyof SamplesOperations;

/**
 * Status at which a `default` response's examples are served (Prism answers an undeclared code with
 * the default response): a gateway error, the kind of "anything else" a UI must still draw.
 */
export const DEFAULT_RESPONSE_STATUS = 502;

export interface Scenario {
  /** The example's key: ask for it with `Prefer: code=<status>, example=<key>`. */
  key: string;
  /** HTTP status it is served with (`default` responses: DEFAULT_RESPONSE_STATUS). */
  status: number;
  /** The document's response key: '200', '404', 'default'... */
  response: string;
  summary: string | undefined;
  value: unknown;
  /** The response's declared headers, valued from their examples (Retry-After, X-Request-Id...). */
  headers: Record<string, string>;
}

export interface OperationScenarios {
  api: ApiName;
  operationId: OperationId;
  method: string;
  /** Native path in OpenAPI form, e.g. /api/v1/runs/{run_id}/summary. */
  path: string;
  /** Whether the operation needs a bearer token (Prism answers 401 without one). */
  secured: boolean;
  /** Every named example, lowest 2xx first: scenarios[0] is the default answer. */
  scenarios: Scenario[];
  /** The status the operation declares for bad input: 400, or 422 (workflows, FastAPI style). */
  validationStatus: number | undefined;
}

export const documents: Record<ApiName, Json> = { telemetry, workflows, matching, taxonomy, samples };

export const catalog: OperationScenarios[] = API_NAMES.flatMap((api) => operationsOf(api, documents[api]));

export function scenariosOf(operationId: OperationId): OperationScenarios {
  const op = catalog.find((o) => o.operationId === operationId);
  if (!op) throw new Error(`No operation ${operationId} in the bundled documents`);
  return op;
}

/**
 * The scenario a request asks for: by example key (any status, keys are unique per operation), by
 * status (its first example), or the default, the first example of the lowest 2xx.
 */
export function pickScenario(op: OperationScenarios, want: { code?: number; example?: string } = {}): Scenario {
  const candidates = op.scenarios.filter((s) => want.code === undefined || s.status === want.code);
  const found = want.example === undefined ? candidates[0] : candidates.find((s) => s.key === want.example);
  if (found) return found;
  const available = op.scenarios.map((s) => `${s.status}:${s.key}`).join(', ');
  throw new Error(`${op.operationId} has no scenario ${JSON.stringify(want)}; it has ${available}`);
}

function operationsOf(api: ApiName, doc: Json): OperationScenarios[] {
  const deref = (node: unknown): Json => resolveRef(doc, node);
  const secured = (op: Json) => ((op.security ?? doc.security) as unknown[] | undefined)?.length !== 0;
  const out: OperationScenarios[] = [];
  for (const { path, method, op } of walkOperations(doc)) {
    if (typeof op.operationId !== 'string') continue;
    const responses = Object.entries(op.responses as Json).sort(([a], [b]) => statusOf(a) - statusOf(b));
    const scenarios = responses.flatMap(([response, ref]) => {
      const resolved = deref(ref);
      const headers = headerValues(resolved.headers as Json | undefined, deref);
      const examples = ((resolved.content as Json | undefined)?.['application/json'] as Json | undefined)?.examples;
      return Object.entries((examples ?? {}) as Json).map(([key, example]): Scenario => {
        const ex = deref(example);
        return {
          key,
          status: statusOf(response),
          response,
          summary: ex.summary as string | undefined,
          value: ex.value,
          headers,
        };
      });
    });
    const declared = Object.keys(op.responses as Json);
    const validationStatus = declared.includes('400') ? 400 : declared.includes('422') ? 422 : undefined;
    out.push({
      api,
      operationId: op.operationId as OperationId,
      method,
      path,
      secured: secured(op),
      scenarios,
      validationStatus,
    });
  }
  return out;
}

function statusOf(response: string): number {
  return response === 'default' ? DEFAULT_RESPONSE_STATUS : Number(response);
}

// Like Prism: a header's example, else the least value its schema allows.
function headerValues(headers: Json | undefined, deref: (n: unknown) => Json): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, ref] of Object.entries(headers ?? {})) {
    const header = deref(ref);
    const schema = (header.schema ?? {}) as Json;
    const value =
      header.example ??
      schema.example ??
      (schema.examples as unknown[] | undefined)?.[0] ??
      schema.default ??
      (schema.type === 'integer' || schema.type === 'number' ? (schema.minimum ?? 0) : `mock-${name.toLowerCase()}`);
    out[name] = String(value);
  }
  return out;
}
