/**
 * What the real vendor says about the parts of our contracts that are ours, not its page's: every
 * element marked `x-provenance: {source: inferred}`. Fed the vendor's responses (the proxy tap in
 * mocks/provenance-tap.ts does it), it reports each inferred element the vendor contradicts:
 * - a value outside an inferred enum, of another type than an inferred type (null included), or a
 *   field an inferred closed object lacks;
 * - a status an inferred operation does not declare.
 * An enum value the vendor never sends is fine: absence contradicts nothing.
 */
import { loadBundled } from '../openapi/bundle.ts';
import { followRef, type Json, walkOperations } from '../openapi/document.ts';
import { API_NAMES } from './scenarios.ts';

export interface Contradiction {
  operationId: string;
  status: number;
  /** Where in the body (JSON pointer), or '' for the response itself. */
  at: string;
  /** The inferred element (JSON pointer in its API's bundled document) and why it was inferred. */
  element: string;
  reason: string;
  message: string;
}

interface Operation {
  api: string;
  doc: Json;
  operationId: string;
  method: string;
  pattern: RegExp;
  op: Json;
  pointer: string;
}

interface Inferred {
  pointer: string;
  reason: string;
}

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

function inferredOf(node: Json, pointer: string): Inferred | undefined {
  const p = node['x-provenance'] as Json | undefined;
  return p?.source === 'inferred' ? { pointer, reason: String(p.reason ?? '') } : undefined;
}

function loadOperations(documents: Record<string, Json>): Operation[] {
  const out: Operation[] = [];
  for (const [api, doc] of Object.entries(documents)) {
    for (const { path, method, op } of walkOperations(doc)) {
      if (!('operationId' in op)) continue;
      const pattern = new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{\w+\\?\}/g, '[^/]+')}$`);
      const pointer = `/paths/${escapePointer(path)}/${method}`;
      out.push({ api, doc, operationId: String(op.operationId), method, pattern, op, pointer });
    }
  }
  return out;
}

/** The bundled documents of the five APIs (generated/openapi/). */
export function bundledDocuments(): Record<string, Json> {
  return Object.fromEntries(API_NAMES.map((api) => [api, loadBundled(api)]));
}

const jsonType = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v;

function typeAllows(declared: unknown, value: unknown): boolean {
  if (declared === undefined) return true;
  const types = Array.isArray(declared) ? declared : [declared];
  const actual = jsonType(value);
  return types.includes(actual) || (actual === 'integer' && types.includes('number'));
}

export interface ProvenanceReporter {
  /** Contradictions in one vendor response (none when the request reached no operation of ours). */
  observe(method: string, path: string, status: number, body: unknown): Contradiction[];
}

export function provenanceReporter(documents: Record<string, Json> = bundledDocuments()): ProvenanceReporter {
  const operations = loadOperations(documents);

  /** The operation a request reached, by method and path (any prefix of the upstream's URL is ignored). */
  function find(method: string, path: string): Operation | undefined {
    const pathname = path.split('?')[0] ?? '';
    return operations.find(
      (o) =>
        o.method === method.toLowerCase() &&
        [...pathname.matchAll(/\//g)].some((m) => o.pattern.test(pathname.slice(m.index))),
    );
  }

  function check(operation: Operation, status: number, body: unknown): Contradiction[] {
    const out: Contradiction[] = [];
    const { doc } = operation;
    const resolve = (node: Json, pointer: string): [Json, string] => {
      const { node: n, ref } = followRef<Json | undefined>(doc, node);
      return [n ?? {}, ref === undefined ? pointer : ref.slice(1)];
    };
    const report = (at: string, inferred: Inferred, message: string) =>
      out.push({
        operationId: operation.operationId,
        status,
        at,
        element: inferred.pointer,
        reason: inferred.reason,
        message,
      });

    const walk = (raw: Json, schemaPointer: string, value: unknown, at: string, context?: Inferred) => {
      const [schema, pointer] = resolve(raw, schemaPointer);
      const inferred = inferredOf(raw, schemaPointer) ?? inferredOf(schema, pointer) ?? context;
      if (inferred) {
        if (!typeAllows(schema.type, value)) {
          report(
            at,
            inferred,
            `the vendor sent ${jsonType(value)}, our inferred type is ${JSON.stringify(schema.type)}`,
          );
          return;
        }
        if (Array.isArray(schema.enum) && !schema.enum.includes(value)) {
          report(at, inferred, `the vendor sent ${JSON.stringify(value)}, which our inferred enum lacks`);
        }
      }
      if (Array.isArray(value) && schema.items) {
        for (const [i, item] of value.entries())
          walk(schema.items as Json, `${pointer}/items`, item, `${at}/${i}`, inferred);
      } else if (value && typeof value === 'object' && !Array.isArray(value)) {
        const props = (schema.properties ?? {}) as Record<string, Json>;
        for (const [key, child] of Object.entries(value as Json)) {
          const sub = props[key];
          if (sub)
            walk(sub, `${pointer}/properties/${escapePointer(key)}`, child, `${at}/${escapePointer(key)}`, inferred);
          else if (inferred && schema.additionalProperties === false) {
            report(
              `${at}/${escapePointer(key)}`,
              inferred,
              `the vendor sent a field \`${key}\` our inferred object lacks`,
            );
          }
        }
      }
    };

    const responses = (operation.op.responses ?? {}) as Record<string, Json>;
    const opInferred = inferredOf(operation.op, operation.pointer);
    const declared = responses[String(status)] ?? responses.default;
    if (!declared) {
      if (opInferred)
        report('', opInferred, `the vendor answered ${status}, which our inferred operation does not declare`);
      return out;
    }
    const [response, responsePointer] = resolve(declared, `${operation.pointer}/responses/${status}`);
    const context = inferredOf(response, responsePointer) ?? opInferred;
    const media = ((response.content ?? {}) as Json)['application/json'] as Json | undefined;
    if (media?.schema && body !== undefined) {
      walk(media.schema as Json, `${responsePointer}/content/application~1json/schema`, body, '', context);
    }
    return out;
  }

  return {
    /** Contradictions in one vendor response (none when the request reached no operation of ours). */
    observe(method: string, path: string, status: number, body: unknown): Contradiction[] {
      const operation = find(method, path);
      return operation ? check(operation, status, body) : [];
    },
  };
}

export function formatContradiction(c: Contradiction): string {
  return `inferred element contradicted by the vendor: ${c.operationId} ${c.status}${c.at ? ` at ${c.at}` : ''}: ${c.message} (${c.element}; inferred because: ${c.reason})`;
}
