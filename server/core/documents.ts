import { fileURLToPath } from 'node:url';

import type { ApiName } from '../../generated/apis.ts';
import { loadBundled } from '../../openapi/bundle.ts';

export const GENERATED_DIR = fileURLToPath(new URL('../../generated/', import.meta.url));

const cache = new Map<ApiName, Record<string, unknown>>();

/** The bundled document of an API, as `npm run generate` wrote it. Callers get their own copy. */
export function loadDocument(api: ApiName): Record<string, unknown> {
  let doc = cache.get(api);
  if (!doc) {
    doc = loadBundled(api);
    cache.set(api, doc);
  }
  return structuredClone(doc);
}
