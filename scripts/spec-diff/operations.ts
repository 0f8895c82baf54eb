/**
 * Operation rules: an operation is `METHOD path`, with path parameter names ignored
 * (`/runs/{id}` and `/runs/{run_id}` are the same URL). Removed: breaking. Added: compatible.
 * For an operation in both documents, the other rules run on the pair.
 */
import { walkOperations } from '../../openapi/document.ts';
import type { DiffContext, Json } from './types.ts';

export interface Operation {
  method: string;
  path: string;
  /** The path item (refs resolved): holds path-level parameters. */
  item: Json;
  op: Json;
}

/** The two sides of an operation present in both documents, and its label for the report. */
export interface OperationPair {
  label: string;
  old: Operation;
  new: Operation;
}

/** `/runs/{run_id}` → `/runs/{}`: the key two documents' operations are matched by. */
export const templateKey = (path: string) => path.replace(/\{[^}]*\}/g, '{}');

export function operationsOf(doc: Json): Map<string, Operation> {
  const out = new Map<string, Operation>();
  for (const { method, path, item, op } of walkOperations(doc))
    out.set(`${method.toUpperCase()} ${templateKey(path)}`, { method, path, item, op });
  return out;
}

const label = (o: Operation) => `${o.method.toUpperCase()} ${o.path}`;

/** Reports removed and added operations; returns the pairs present in both, for the other rules. */
export function compareOperations(ctx: DiffContext): OperationPair[] {
  const before = operationsOf(ctx.oldDoc);
  const after = operationsOf(ctx.newDoc);
  const pairs: OperationPair[] = [];
  for (const [key, o] of before) {
    const n = after.get(key);
    if (!n) {
      ctx.changes.push({
        severity: 'breaking',
        rule: 'operation.removed',
        operation: label(o),
        where: '',
        message: 'operation removed',
      });
    } else pairs.push({ label: label(n), old: o, new: n });
  }
  for (const [key, n] of after) {
    if (!before.has(key)) {
      ctx.changes.push({
        severity: 'compatible',
        rule: 'operation.added',
        operation: label(n),
        where: '',
        message: 'operation added',
      });
    }
  }
  return pairs;
}

/**
 * operationId: generated SDKs (openapi-generator, orval...) name their methods after it, so a
 * rename breaks them even though the wire is unchanged. Deprecation is compatible, with a note.
 */
export function compareOperationMeta(ctx: DiffContext, pair: OperationPair): void {
  const oid = pair.old.op.operationId;
  const nid = pair.new.op.operationId;
  if (oid !== undefined && oid !== nid) {
    ctx.changes.push({
      severity: 'breaking',
      rule: 'operation.id-changed',
      operation: pair.label,
      where: '',
      message: `operationId ${String(oid)} → ${nid === undefined ? 'none' : String(nid)}`,
      note: 'the URL is unchanged; generated SDKs that name methods after operationIds break',
    });
  }
  if (pair.old.op.deprecated !== true && pair.new.op.deprecated === true) {
    ctx.changes.push({
      severity: 'compatible',
      rule: 'operation.deprecated',
      operation: pair.label,
      where: '',
      message: 'operation deprecated',
      note: 'plan its removal: removing it later is breaking',
    });
  }
}
