/**
 * Response rules, per status code. A removed status is breaking (clients coded against it lose
 * it). An added error status is compatible, with a note; an added success status where one was
 * already declared is breaking (a client that reads the 200 body meets another shape). For a status
 * in both: headers (removed or no longer required: breaking) and bodies (removed media type:
 * breaking), with schemas compared in the response direction (widening is breaking).
 */

import { resolveRef as deref } from '../../openapi/document.ts';
import type { OperationPair } from './operations.ts';
import { bodyLabel } from './request-body.ts';
import { compareSchemas } from './schema.ts';
import { type DiffContext, isObject, type Json } from './types.ts';

const responsesOf = (op: Json): Json => (isObject(op.responses) ? op.responses : {});
const isSuccess = (status: string) => /^2/.test(status);

export function compareResponses(ctx: DiffContext, pair: OperationPair): void {
  const before = responsesOf(pair.old.op);
  const after = responsesOf(pair.new.op);
  const push = (severity: 'breaking' | 'compatible', rule: string, where: string, message: string, note?: string) =>
    ctx.changes.push({
      severity,
      rule: `response.${rule}`,
      operation: pair.label,
      where,
      message,
      ...(note ? { note } : {}),
    });
  for (const status of Object.keys(before)) {
    if (!(status in after)) {
      push('breaking', 'status-removed', `response ${status}`, `status ${status} no longer declared`);
      continue;
    }
    const o = deref<Json | undefined>(ctx.oldDoc, before[status]) ?? {};
    const n = deref<Json | undefined>(ctx.newDoc, after[status]) ?? {};
    compareHeaders(ctx, pair, status, o, n);
    compareContent(ctx, pair, status, o, n);
  }
  const hadSuccess = Object.keys(before).some(isSuccess);
  for (const status of Object.keys(after)) {
    if (status in before) continue;
    if (isSuccess(status) && hadSuccess) {
      push(
        'breaking',
        'success-status-added',
        `response ${status}`,
        `new success status ${status}: clients that read the existing success body meet another shape`,
      );
    } else {
      push(
        'compatible',
        'status-added',
        `response ${status}`,
        `status ${status} added`,
        'clients that switch exhaustively on statuses should handle it',
      );
    }
  }
}

function headersOf(doc: Json, response: Json): Map<string, { name: string; h: Json }> {
  const out = new Map<string, { name: string; h: Json }>();
  if (!isObject(response.headers)) return out;
  for (const [name, raw] of Object.entries(response.headers)) {
    const h = deref<Json | undefined>(doc, raw);
    if (isObject(h)) out.set(name.toLowerCase(), { name, h });
  }
  return out;
}

/** Response headers: removed or no longer required is breaking; added is compatible. */
export function compareHeaders(ctx: DiffContext, pair: OperationPair, status: string, o: Json, n: Json): void {
  const before = headersOf(ctx.oldDoc, o);
  const after = headersOf(ctx.newDoc, n);
  const push = (severity: 'breaking' | 'compatible', rule: string, name: string, message: string) =>
    ctx.changes.push({
      severity,
      rule: `response.${rule}`,
      operation: pair.label,
      where: `response ${status} header ${name}`,
      message,
    });
  for (const [key, { name, h }] of before) {
    const m = after.get(key);
    if (!m) {
      push('breaking', 'header-removed', name, 'response header removed');
      continue;
    }
    if (h.required === true && m.h.required !== true)
      push('breaking', 'header-required', name, 'response header may now be absent');
    if (h.required !== true && m.h.required === true)
      push('compatible', 'header-required', name, 'response header now always present');
    compareSchemas(
      { ctx, operation: pair.label, where: `response ${status} header ${m.name}`, direction: 'response' },
      h.schema,
      m.h.schema,
    );
  }
  for (const [key, { name }] of after) {
    if (!before.has(key)) push('compatible', 'header-added', name, 'response header added');
  }
}

/**
 * Named examples of a response body. Their keys are the mock's API: a frontend asks Prism or the
 * MSW handlers for `Prefer: example=<key>` and its typed scenario keys are generated from them, so
 * a removed key is breaking, and so is a renamed one (found as a removed key whose value an added
 * key now carries). An added key is compatible.
 */
export function compareExamples(
  ctx: DiffContext,
  pair: OperationPair,
  status: string,
  mediaType: string,
  o: Json,
  n: Json,
): void {
  const valuesOf = (doc: Json, media: Json): Map<string, string> => {
    const out = new Map<string, string>();
    const examples = isObject(media.examples) ? media.examples : {};
    for (const [key, raw] of Object.entries(examples)) {
      out.set(key, JSON.stringify(deref<Json | undefined>(doc, raw)?.value ?? null));
    }
    return out;
  };
  const before = valuesOf(ctx.oldDoc, o);
  const after = valuesOf(ctx.newDoc, n);
  const where = `${bodyLabel(`response ${status}`, mediaType)} example`;
  const added = [...after.keys()].filter((k) => !before.has(k));
  const push = (severity: 'breaking' | 'compatible', rule: string, key: string, message: string, note?: string) =>
    ctx.changes.push({
      severity,
      rule: `response.${rule}`,
      operation: pair.label,
      where: `${where} ${key}`,
      message,
      ...(note ? { note } : {}),
    });
  const renamedTo = new Set<string>();
  for (const [key, value] of before) {
    if (after.has(key)) continue;
    const successor = added.find((k) => !renamedTo.has(k) && after.get(k) === value);
    if (successor) {
      renamedTo.add(successor);
      push('breaking', 'example-renamed', key, `named example ${key} renamed to ${successor}`);
    } else {
      push(
        'breaking',
        'example-removed',
        key,
        `named example ${key} removed: Prefer: example=${key} no longer answers`,
      );
    }
  }
  for (const key of added) {
    if (renamedTo.has(key)) continue;
    push('compatible', 'example-added', key, `named example ${key} added`);
  }
}

/** Response bodies: a removed media type is breaking, an added one compatible. */
export function compareContent(ctx: DiffContext, pair: OperationPair, status: string, o: Json, n: Json): void {
  const oc = isObject(o.content) ? o.content : {};
  const nc = isObject(n.content) ? n.content : {};
  const schema = (c: Json, k: string) => (isObject(c[k]) ? (c[k] as Json).schema : undefined);
  for (const mt of Object.keys(oc)) {
    const where = bodyLabel(`response ${status}`, mt);
    if (!(mt in nc)) {
      ctx.changes.push({
        severity: 'breaking',
        rule: 'response.media-type-removed',
        operation: pair.label,
        where,
        message: `media type ${mt} no longer returned`,
      });
      continue;
    }
    compareSchemas({ ctx, operation: pair.label, where, direction: 'response' }, schema(oc, mt), schema(nc, mt));
    if (isObject(oc[mt]) && isObject(nc[mt])) compareExamples(ctx, pair, status, mt, oc[mt] as Json, nc[mt] as Json);
  }
  for (const mt of Object.keys(nc)) {
    if (mt in oc) continue;
    ctx.changes.push({
      severity: 'compatible',
      rule: 'response.media-type-added',
      operation: pair.label,
      where: bodyLabel(`response ${status}`, mt),
      message: `media type ${mt} may now be returned`,
      note: Object.keys(oc).length > 0 ? 'clients that do not send Accept may receive it' : undefined,
    });
  }
}
