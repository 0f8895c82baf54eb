/**
 * Reading a bundled OpenAPI document, written once for the mocks, the scripts, spec-diff, the
 * server and the tests: the HTTP methods an operation can sit under, local `$ref` resolution and
 * the walk over a document's operations. Pure (no file system), so the browser build of the mocks
 * can use it too; loading a bundle from generated/ is ./bundle.ts.
 */

export type Json = Record<string, unknown>;

/** The methods of an OpenAPI path item, in the order the specification lists them. */
export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The node a local JSON pointer (`#/components/schemas/Run`) names. Bundled documents only hold
 * local refs; an external one means the document was not bundled, an error rather than a guess.
 */
export function pointer(doc: Json, ref: string): unknown {
  if (!ref.startsWith('#')) throw new Error(`external $ref ${ref}: compare bundled documents (npm run generate)`);
  if (ref === '#' || ref === '#/') return doc;
  let node: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(node) && !Array.isArray(node)) throw new Error(`unresolvable $ref ${ref}`);
    node = (node as Json)[key];
    if (node === undefined) throw new Error(`unresolvable $ref ${ref}`);
  }
  return node;
}

export interface Followed<T> {
  node: T;
  /** The last `$ref` followed, if any: where the node lives, and how recursive schemas are told apart. */
  ref?: string;
}

/** Follows a chain of `$ref`s. In 3.1 a `$ref` may have siblings; they are merged over the target. */
export function followRef<T = Json>(doc: Json, node: unknown): Followed<T> {
  let current = node;
  let ref: string | undefined;
  const seen = new Set<string>();
  while (isObject(current) && typeof current.$ref === 'string') {
    const { $ref, ...siblings } = current;
    if (seen.has($ref)) throw new Error(`circular $ref ${$ref}`);
    seen.add($ref);
    ref = $ref;
    const target = pointer(doc, $ref);
    current = Object.keys(siblings).length > 0 && isObject(target) ? { ...target, ...siblings } : target;
  }
  return ref === undefined ? { node: current as T } : { node: current as T, ref };
}

/** The node with its `$ref`s followed; `undefined` stays `undefined`. */
export function resolveRef<T = Json>(doc: Json, node: unknown): T {
  return (node === undefined ? undefined : followRef<T>(doc, node).node) as T;
}

/**
 * A copy of a node with every `$ref` inlined, leaving out the keys in `omit`. For the small acyclic
 * schemas of parameters and headers; a recursive schema stops unfolding 32 levels down.
 */
export function inlineRefs(doc: Json, node: unknown, omit: readonly string[] = [], depth = 0): unknown {
  if (depth > 32 || !node || typeof node !== 'object') return node;
  if (Array.isArray(node)) return node.map((n) => inlineRefs(doc, n, omit, depth + 1));
  return Object.fromEntries(
    Object.entries(resolveRef(doc, node))
      .filter(([k]) => !omit.includes(k))
      .map(([k, v]) => [k, inlineRefs(doc, v, omit, depth + 1)]),
  );
}

export interface OperationAt {
  path: string;
  method: HttpMethod;
  /** The path item, its `$ref` followed: holds the path-level parameters. */
  item: Json;
  op: Json;
}

/** Every operation of a document: paths in document order, methods in HTTP_METHODS order. */
export function walkOperations(doc: Json): OperationAt[] {
  const out: OperationAt[] = [];
  for (const [path, raw] of Object.entries(isObject(doc.paths) ? doc.paths : {})) {
    const item = resolveRef<unknown>(doc, raw);
    if (!isObject(item)) continue;
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (isObject(op)) out.push({ path, method, item, op });
    }
  }
  return out;
}

/** An operation's parameters, path-level ones first, `$ref`s followed. */
export function parametersOf(doc: Json, { item, op }: Pick<OperationAt, 'item' | 'op'>): Json[] {
  const all = [...((item.parameters ?? []) as unknown[]), ...((op.parameters ?? []) as unknown[])];
  return all.map((p) => resolveRef(doc, p));
}
