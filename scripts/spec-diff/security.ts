/**
 * Security rules. An operation's requirement (its own `security`, else the document's) is a list
 * of alternatives; no requirement is the alternative `{}` (anonymous). An alternative removed
 * (e.g. anonymous access, or one scheme of two) is breaking; an alternative added is compatible.
 * A security scheme whose definition changes (type, scheme, location, name) is breaking.
 */

import { resolveRef as deref } from '../../openapi/document.ts';
import type { OperationPair } from './operations.ts';
import { type DiffContext, isObject, type Json } from './types.ts';

function alternatives(doc: Json, op: Json): Map<string, string> {
  const list = Array.isArray(op.security) ? op.security : Array.isArray(doc.security) ? doc.security : [];
  const out = new Map<string, string>();
  for (const req of list.length > 0 ? list : [{}]) {
    if (!isObject(req)) continue;
    const parts = Object.keys(req)
      .sort()
      .map((name) => {
        const scopes = Array.isArray(req[name]) ? (req[name] as unknown[]).map(String).sort() : [];
        return scopes.length > 0 ? `${name}(${scopes.join(' ')})` : name;
      });
    out.set(parts.join(' + '), parts.length > 0 ? parts.join(' + ') : 'anonymous');
  }
  return out;
}

export function compareSecurity(ctx: DiffContext, pair: OperationPair): void {
  const before = alternatives(ctx.oldDoc, pair.old.op);
  const after = alternatives(ctx.newDoc, pair.new.op);
  for (const [key, label] of before) {
    if (!after.has(key)) {
      ctx.changes.push({
        severity: 'breaking',
        rule: 'security.removed',
        operation: pair.label,
        where: 'security',
        message: `no longer accepts ${label}`,
      });
    }
  }
  for (const [key, label] of after) {
    if (!before.has(key)) {
      ctx.changes.push({
        severity: 'compatible',
        rule: 'security.added',
        operation: pair.label,
        where: 'security',
        message: `now also accepts ${label}`,
      });
    }
  }
}

const schemesOf = (doc: Json): Json => {
  const c = isObject(doc.components) ? doc.components : {};
  return isObject(c.securitySchemes) ? c.securitySchemes : {};
};
const WIRE = ['type', 'scheme', 'in', 'name'] as const;

/** Document level: a scheme present in both documents whose wire format changed. */
export function compareSecuritySchemes(ctx: DiffContext): void {
  const before = schemesOf(ctx.oldDoc);
  const after = schemesOf(ctx.newDoc);
  for (const name of Object.keys(before)) {
    const o = deref<Json | undefined>(ctx.oldDoc, before[name]);
    const n = deref<Json | undefined>(ctx.newDoc, after[name]);
    if (!o || !n) continue;
    const norm = (s: Json, k: string) =>
      k === 'scheme' && typeof s[k] === 'string' ? (s[k] as string).toLowerCase() : s[k];
    const changed = WIRE.filter((k) => norm(o, k) !== norm(n, k));
    if (changed.length > 0) {
      ctx.changes.push({
        severity: 'breaking',
        rule: 'security.scheme-changed',
        operation: 'document',
        where: `securityScheme ${name}`,
        message: changed
          .map((k) => `${k} ${JSON.stringify(o[k]) ?? 'none'} → ${JSON.stringify(n[k]) ?? 'none'}`)
          .join(', '),
      });
    }
  }
}
