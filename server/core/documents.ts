import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ApiName } from '../../generated/apis.ts';

export const GENERATED_DIR = fileURLToPath(new URL('../../generated/', import.meta.url));

const cache = new Map<ApiName, Record<string, unknown>>();

/** The bundled document of an API, as `npm run generate` wrote it. Callers get their own copy. */
export function loadDocument(api: ApiName): Record<string, unknown> {
  let doc = cache.get(api);
  if (!doc) {
    doc = JSON.parse(readFileSync(`${GENERATED_DIR}openapi/${api}.json`, 'utf8')) as Record<string, unknown>;
    cache.set(api, doc);
  }
  return structuredClone(doc);
}
