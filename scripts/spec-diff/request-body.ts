/**
 * Request body rules: a body that appears required, disappears or becomes required is breaking; a
 * removed media type is breaking, an added one compatible. Schemas compare in the request direction.
 */

import { resolveRef as deref } from '../../openapi/document.ts';
import type { OperationPair } from './operations.ts';
import { compareSchemas } from './schema.ts';
import { type DiffContext, isObject, type Json } from './types.ts';

export const bodyLabel = (prefix: string, mediaType: string) =>
  mediaType === 'application/json' ? `${prefix} body` : `${prefix} body (${mediaType})`;

const contentOf = (x: Json | undefined): Json => (x && isObject(x.content) ? x.content : {});

export function compareRequestBody(ctx: DiffContext, pair: OperationPair): void {
  const o = deref<Json | undefined>(ctx.oldDoc, pair.old.op.requestBody);
  const n = deref<Json | undefined>(ctx.newDoc, pair.new.op.requestBody);
  const push = (severity: 'breaking' | 'compatible', rule: string, where: string, message: string): void => {
    ctx.changes.push({ severity, rule: `request-body.${rule}`, operation: pair.label, where, message });
  };
  if (!o) {
    if (!n) return;
    if (n.required === true) push('breaking', 'added-required', 'request body', 'new required request body');
    else push('compatible', 'added', 'request body', 'new optional request body');
    return;
  }
  if (!n) {
    push('breaking', 'removed', 'request body', 'request body removed: clients that send one may be refused');
    return;
  }
  if (o.required !== true && n.required === true)
    push('breaking', 'required', 'request body', 'request body became required');
  if (o.required === true && n.required !== true)
    push('compatible', 'required', 'request body', 'request body no longer required');
  const oc = contentOf(o);
  const nc = contentOf(n);
  for (const mt of Object.keys(oc)) {
    if (!(mt in nc)) {
      push('breaking', 'media-type-removed', bodyLabel('request', mt), `media type ${mt} no longer accepted`);
      continue;
    }
    const schema = (c: Json, k: string) => (isObject(c[k]) ? (c[k] as Json).schema : undefined);
    compareSchemas(
      { ctx, operation: pair.label, where: bodyLabel('request', mt), direction: 'request' },
      schema(oc, mt),
      schema(nc, mt),
    );
  }
  for (const mt of Object.keys(nc)) {
    if (!(mt in oc)) push('compatible', 'media-type-added', bodyLabel('request', mt), `media type ${mt} now accepted`);
  }
}
