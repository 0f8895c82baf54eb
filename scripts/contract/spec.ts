import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS with a default export; under NodeNext its default is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

import { API_NAMES, type ApiName } from '../../generated/apis.ts';
import { loadBundled } from '../../openapi/bundle.ts';
import { type Json, resolveRef, walkOperations } from '../../openapi/document.ts';

export { API_NAMES, type ApiName, loadBundled };

/**
 * Ajv 2020-12 over one bundled document, independent of the server's own validator: compiles the
 * response schema of any operation and status, with $refs resolved against the document.
 */
export interface SpecValidator {
  doc: Json;
  operations: Map<string, { path: string; method: string; op: Json }>;
  /** The response object (refs resolved) of an operation and status, falling back to default. */
  response(operationId: string, status: number | string): Json;
  /** Validates a body against the declared schema of that operation and status. */
  validate(operationId: string, status: number | string, body: unknown): { valid: boolean; errors: string };
}

export function specValidator(api: ApiName): SpecValidator {
  const doc = loadBundled(api);
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ ...doc, $id: `https://run-api-contracts.local/${api}.json` });
  const cache = new Map<string, ValidateFunction>();
  const operations = new Map<string, { path: string; method: string; op: Json }>();
  for (const { path, method, op } of walkOperations(doc)) {
    if ('operationId' in op) operations.set(op.operationId as string, { path, method, op });
  }
  return {
    doc,
    operations,
    /** The response object (refs resolved) of an operation and status, falling back to default. */
    response(operationId: string, status: number | string): Json {
      const op = operations.get(operationId);
      if (!op) throw new Error(`${api} has no operation ${operationId}`);
      const responses = op.op.responses as Record<string, Json>;
      const r = responses[String(status)] ?? responses.default;
      if (!r) throw new Error(`${operationId} declares no ${status}`);
      return resolveRef(doc, r);
    },
    /** Validates a body against the declared schema of that operation and status. */
    validate(operationId: string, status: number | string, body: unknown): { valid: boolean; errors: string } {
      const key = `${operationId}:${status}`;
      let fn = cache.get(key);
      if (!fn) {
        const resolved = this.response(operationId, status);
        const schemaRef = (resolved.content as Json | undefined)?.['application/json'] as Json | undefined;
        if (!schemaRef) throw new Error(`${operationId} ${status} has no JSON body`);
        fn = ajv.compile({
          $ref: `https://run-api-contracts.local/${api}.json#${jsonPointerOf(doc, schemaRef.schema as Json)}`,
        });
        cache.set(key, fn);
      }
      const valid = fn(body) as boolean;
      return { valid, errors: ajv.errorsText(fn.errors) };
    },
  };
}

/** A schema of the document as a JSON pointer: its $ref when it has one, else found by identity. */
function jsonPointerOf(doc: Json, schema: Json): string {
  if (typeof schema.$ref === 'string') return schema.$ref.slice(1);
  const path: string[] = [];
  const walk = (node: unknown, trail: string[]): boolean => {
    if (node === schema) {
      path.push(...trail);
      return true;
    }
    if (!node || typeof node !== 'object') return false;
    for (const [k, v] of Object.entries(node)) {
      if (walk(v, [...trail, k.replace(/~/g, '~0').replace(/\//g, '~1')])) return true;
    }
    return false;
  };
  walk(doc, []);
  return `/${path.join('/')}`;
}
