/**
 * diffDocuments(old, new): every change between two bundled OpenAPI documents, breaking first.
 * Each rule lives in its own module; this only runs them in order.
 */
import { compareOperationMeta, compareOperations } from './operations.ts';
import { compareParameters } from './parameters.ts';
import { compareRequestBody } from './request-body.ts';
import { compareResponses } from './responses.ts';
import { compareSecurity, compareSecuritySchemes } from './security.ts';
import type { Change, DiffContext, Json } from './types.ts';

export function diffDocuments(oldDoc: Json, newDoc: Json): Change[] {
  const ctx: DiffContext = { oldDoc, newDoc, changes: [] };
  compareSecuritySchemes(ctx);
  for (const pair of compareOperations(ctx)) {
    compareOperationMeta(ctx, pair);
    compareSecurity(ctx, pair);
    compareParameters(ctx, pair);
    compareRequestBody(ctx, pair);
    compareResponses(ctx, pair);
  }
  // Stable: breaking before compatible, otherwise in document order.
  return [
    ...ctx.changes.filter((c) => c.severity === 'breaking'),
    ...ctx.changes.filter((c) => c.severity === 'compatible'),
  ];
}

export const hasBreaking = (changes: Change[]) => changes.some((c) => c.severity === 'breaking');
