// Redocly plugin: every element of a contract is either stated by the vendor's page (its seed) or
// marked `x-provenance: {source: inferred, reason}`. Plain JS, because Redocly imports plugins as is.
import { readFileSync } from 'node:fs';

const SEEDS = JSON.parse(readFileSync(new URL('./seed-elements.json', import.meta.url), 'utf8'));
const API_NAMES = Object.keys(SEEDS).filter((k) => !k.startsWith('$'));

/** The API an operation belongs to: every operationId starts with its API's name. */
const apiOf = (operationId) => API_NAMES.find((api) => String(operationId ?? '').startsWith(api));

const fixtureCache = new Map();
/** The seed's own JSON examples, by status (test/fixtures/seeds/<api>.json). */
function seedExamples(api) {
  if (!fixtureCache.has(api)) {
    const url = new URL(`../test/fixtures/seeds/${api}.json`, import.meta.url);
    fixtureCache.set(api, JSON.parse(readFileSync(url, 'utf8')).examples);
  }
  return fixtureCache.get(api);
}

/** Every JSON path of a value (`a.b`, `list[].c`), with the values seen at it. */
function pathsOf(value, path, out) {
  if (Array.isArray(value)) {
    if (path && !out.has(path)) out.set(path, new Set());
    for (const item of value) pathsOf(item, `${path}[]`, out);
    return out;
  }
  if (path) {
    if (!out.has(path)) out.set(path, new Set());
    if (value === null || typeof value !== 'object') out.get(path).add(value);
  }
  if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) pathsOf(child, path ? `${path}.${key}` : key, out);
  }
  return out;
}

/** What the seed states for one status of its operation: field paths, and the values of each. */
function seedStatement(api, status) {
  const statement = new Map();
  for (const example of seedExamples(api)) {
    if (example.status === status) pathsOf(example.value, '', statement);
  }
  for (const path of SEEDS[api].fields[status] ?? []) if (!statement.has(path)) statement.set(path, new Set());
  // Fields whose page gives their type as "... | null" (or "string or null"): null is the seed's.
  for (const path of SEEDS[api].nullable?.[status] ?? []) {
    if (!statement.has(path)) statement.set(path, new Set());
    statement.get(path).add(null);
  }
  for (const [key, values] of Object.entries(SEEDS[api].enums)) {
    const [enumStatus, path] = key.split(':');
    if (enumStatus !== status) continue;
    if (!statement.has(path)) statement.set(path, new Set());
    for (const v of values) statement.get(path).add(v);
  }
  return statement;
}

const isMarked = (node) => {
  const p = node && typeof node === 'object' ? node['x-provenance'] : undefined;
  return Boolean(p && (p.source === 'seed' || (p.source === 'inferred' && typeof p.reason === 'string' && p.reason)));
};

const MESSAGE = 'is not in the vendor page (seed): mark it `x-provenance: {source: inferred, reason: ...}`';

function ProvenanceRule() {
  const reported = new Set();
  return {
    Operation(operation, ctx) {
      const api = apiOf(operation.operationId);
      if (!api) return;
      const report = (message, location) => {
        if (reported.has(location.absolutePointer)) return;
        reported.add(location.absolutePointer);
        ctx.report({ message, location });
      };
      const seedStatuses = SEEDS[api].operations[operation.operationId];
      if (!seedStatuses) {
        if (!isMarked(operation))
          report(`Operation ${operation.operationId} ${MESSAGE}`, ctx.location.child('operationId').key());
        return; // everything inside an operation of ours is ours
      }
      const from = ctx.location.source.absoluteRef;
      for (const [status, raw] of Object.entries(operation.responses ?? {})) {
        const { node: response, location } = resolveWith(ctx, raw, from, ctx.location.child(['responses', status]));
        if (!response) continue;
        const rawMarked = isMarked(raw);
        if (!seedStatuses.includes(status)) {
          if (!rawMarked && !isMarked(response))
            report(`Response ${status} of ${operation.operationId} ${MESSAGE}`, location);
          continue;
        }
        const statement = seedStatement(api, status);
        const media = response.content?.['application/json'];
        if (!media?.schema) continue;
        walkSchema(
          ctx,
          media.schema,
          location.source.absoluteRef,
          location.child(['content', 'application/json', 'schema']),
          '',
          statement,
          report,
        );
      }
    },
  };
}

function resolveWith(ctx, node, from, fallback) {
  if (node && typeof node === 'object' && typeof node.$ref === 'string') {
    const resolved = ctx.resolve(node, from);
    return { node: resolved.node, location: resolved.location ?? fallback };
  }
  return { node, location: fallback };
}

/** Walks a schema of a seed status: each property, enum and nested schema is stated or marked. */
function walkSchema(ctx, raw, from, fallback, path, statement, report, depth = 0) {
  if (depth > 20 || !raw || typeof raw !== 'object') return;
  if (isMarked(raw)) return;
  const { node, location } = resolveWith(ctx, raw, from, fallback);
  if (!node || isMarked(node)) return;
  const here = location.source.absoluteRef;
  // Nullability is a statement too: `null` allowed where the seed never shows or names it is ours.
  const types = Array.isArray(node.type) ? node.type : [];
  if (path && types.includes('null') && !(statement.get(path) ?? new Set()).has(null)) {
    report(`Nullability of \`${path}\` ${MESSAGE}`, location.child('type').key());
  }
  if (Array.isArray(node.enum)) {
    const stated = statement.get(path) ?? new Set();
    const extra = node.enum.filter((v) => v !== null && !stated.has(v));
    if (extra.length > 0) {
      report(`Enum value(s) ${extra.join(', ')} at \`${path || '(body)'}\` ${MESSAGE}`, location.child('enum').key());
    }
  }
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const childPath = path ? `${path}.${key}` : key;
    const childLocation = location.child(['properties', key]);
    if (!statement.has(childPath) && !isMarked(child) && !isMarked(resolveWith(ctx, child, here, childLocation).node)) {
      report(`Property \`${childPath}\` ${MESSAGE}`, childLocation.key());
      continue;
    }
    walkSchema(ctx, child, here, childLocation, childPath, statement, report, depth + 1);
  }
  if (node.items) walkSchema(ctx, node.items, here, location.child('items'), `${path}[]`, statement, report, depth + 1);
  for (const keyword of ['allOf', 'anyOf', 'oneOf']) {
    for (const [i, sub] of (node[keyword] ?? []).entries()) {
      walkSchema(ctx, sub, here, location.child([keyword, i]), path, statement, report, depth + 1);
    }
  }
}

export default function provenancePlugin() {
  return {
    id: 'provenance',
    rules: { oas3: { 'seed-or-inferred': ProvenanceRule } },
  };
}
