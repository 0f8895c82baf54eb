/**
 * The bundled documents `npm run generate` writes to generated/openapi/, read from disk. Node only;
 * the browser side of the mocks imports the JSON instead.
 */
import { readFileSync } from 'node:fs';
import type { ApiName } from '../generated/apis.ts';
import type { Json } from './document.ts';

/** Where the bundle of an API is. */
export const bundlePath = (api: string): URL => new URL(`../generated/openapi/${api}.json`, import.meta.url);

/** The bundled document of an API, freshly parsed (callers may change their copy). */
export function loadBundled(api: ApiName): Json {
  return JSON.parse(readFileSync(bundlePath(api), 'utf8')) as Json;
}
