/**
 * Bundles one API of redocly.yaml into a single document with @redocly/openapi-core, the library the
 * Redocly CLI is built on (openapi-typescript uses it the same way): no child process, so no
 * NODE_ENV or telemetry settings to pass. The CLI stays for `lint:spec` and `build-docs`.
 */
import { dirname, resolve } from 'node:path';
import { bundle, loadConfig, Oas3_1Types } from '@redocly/openapi-core';
import type { Json } from '../openapi/document.ts';

/** The CLI writes a bundle's top-level keys in the order of the OpenAPI Root object; so do we. */
const ROOT_KEYS = Object.keys(Oas3_1Types.Root.properties);

function inRootOrder(doc: Json): Json {
  const known = ROOT_KEYS.filter((key) => key in doc);
  const rest = Object.keys(doc).filter((key) => !ROOT_KEYS.includes(key));
  return Object.fromEntries([...known, ...rest].map((key) => [key, doc[key]]));
}

/** The bundled document of `api` as redocly.yaml (at `configPath`) declares it; throws on any error. */
export async function bundleApi(configPath: string, api: string): Promise<Json> {
  const config = await loadConfig({ configPath });
  const entry = config.apis[api];
  if (!entry) throw new Error(`${configPath}: no API ${api}`);
  const result = await bundle({ ref: resolve(dirname(configPath), entry.root), config });
  const errors = result.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new Error(`bundling ${api}: ${errors.map((p) => p.message).join('; ')}`);
  return inRootOrder(result.bundle.parsed as Json);
}
