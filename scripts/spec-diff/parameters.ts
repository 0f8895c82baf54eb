/**
 * Parameter rules (path-level and operation-level parameters merged, refs resolved). Parameters are
 * matched by location and name (header names case-insensitively), path parameters by position in
 * the template, so renaming `{id}` to `{run_id}` is not a removal. A parameter is request data:
 * its schema is compared in the request direction (narrowing is breaking).
 */

import { resolveRef as deref } from '../../openapi/document.ts';
import type { OperationPair } from './operations.ts';
import { compareSchemas } from './schema.ts';
import { type DiffContext, isObject, type Json } from './types.ts';

/** Header parameters OpenAPI says to ignore: content negotiation and auth are described elsewhere. */
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

interface Param {
  key: string;
  label: string;
  p: Json;
}

function parametersOf(doc: Json, path: string, item: Json, op: Json): Map<string, Param> {
  const template = [...path.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]);
  const out = new Map<string, Param>();
  for (const list of [item.parameters, op.parameters]) {
    if (!Array.isArray(list)) continue;
    for (const raw of list) {
      const p = deref(doc, raw);
      if (!isObject(p) || typeof p.name !== 'string' || typeof p.in !== 'string') continue;
      if (p.in === 'header' && IGNORED_HEADERS.has(p.name.toLowerCase())) continue;
      const key =
        p.in === 'path'
          ? `path#${template.indexOf(p.name)}`
          : `${p.in}:${p.in === 'header' ? p.name.toLowerCase() : p.name}`;
      out.set(key, { key, label: `${p.in} ${p.name}`, p });
    }
  }
  return out;
}

const styleOf = (p: Json) =>
  typeof p.style === 'string' ? p.style : p.in === 'query' || p.in === 'cookie' ? 'form' : 'simple';
const explodeOf = (p: Json) => (typeof p.explode === 'boolean' ? p.explode : styleOf(p) === 'form');
/** `schema`, or the schema of the single media type of `content`. */
const schemaOf = (p: Json): unknown =>
  p.schema ?? (isObject(p.content) ? (Object.values(p.content)[0] as Json | undefined)?.schema : undefined);

export function compareParameters(ctx: DiffContext, pair: OperationPair): void {
  const before = parametersOf(ctx.oldDoc, pair.old.path, pair.old.item, pair.old.op);
  const after = parametersOf(ctx.newDoc, pair.new.path, pair.new.item, pair.new.op);
  const push = (severity: 'breaking' | 'compatible', rule: string, where: string, message: string, note?: string) =>
    ctx.changes.push({
      severity,
      rule: `parameter.${rule}`,
      operation: pair.label,
      where,
      message,
      ...(note ? { note } : {}),
    });

  for (const [key, o] of before) {
    const n = after.get(key);
    if (!n) {
      push('breaking', 'removed', o.label, 'parameter removed: clients that send it may be refused');
      continue;
    }
    if (o.p.name !== n.p.name) {
      push(
        'compatible',
        'renamed',
        n.label,
        `path parameter renamed {${String(o.p.name)}} → {${String(n.p.name)}}`,
        'the URL is unchanged; generated SDKs may rename an argument',
      );
    }
    const oReq = o.p.required === true;
    const nReq = n.p.required === true;
    if (!oReq && nReq) push('breaking', 'required', n.label, 'parameter became required');
    if (oReq && !nReq) push('compatible', 'required', n.label, 'parameter no longer required');
    if (styleOf(o.p) !== styleOf(n.p) || explodeOf(o.p) !== explodeOf(n.p)) {
      push(
        'breaking',
        'serialization',
        n.label,
        `serialization changed (style ${styleOf(o.p)}/${String(explodeOf(o.p))} → ${styleOf(n.p)}/${String(explodeOf(n.p))})`,
      );
    }
    compareSchemas({ ctx, operation: pair.label, where: n.label, direction: 'request' }, schemaOf(o.p), schemaOf(n.p));
  }
  for (const [key, n] of after) {
    if (before.has(key)) continue;
    if (n.p.required === true) push('breaking', 'added-required', n.label, 'new required parameter');
    else push('compatible', 'added', n.label, 'new optional parameter');
  }
}
