/**
 * Local `$ref` resolution (`#/components/...`). Bundled documents only hold local refs; an external
 * one means the document was not bundled, which is an error rather than something to guess at.
 */
import { isObject, type Json } from './types.ts';

function pointer(doc: Json, ref: string): unknown {
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

export interface Resolved<T> {
  node: T;
  /** The last `$ref` followed, if any (to detect cycles in recursive schemas). */
  ref?: string;
}

/** Follows a chain of `$ref`s. In 3.1 a `$ref` may have siblings; they are merged over the target. */
export function resolve<T = Json>(doc: Json, node: unknown): Resolved<T> {
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

/** `resolve(...).node`, or `undefined` when the node is absent. */
export function deref<T = Json>(doc: Json, node: unknown): T | undefined {
  return node === undefined ? undefined : resolve<T>(doc, node).node;
}
