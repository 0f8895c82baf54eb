/**
 * One API's reference page: `redocly build-docs --inlineBundle` (Redoc's script inlined, no CDN)
 * over the bundle plus what only the docs carry, every operation's x-codeSamples
 * (./code-samples.ts) and a badge on every element marked `x-provenance: inferred`
 * (./provenance-badges.ts). Redoc 3 routes with the URL hash, so the page works at any path.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import type { ApiName } from '../../generated/apis.ts';
import type { Json } from '../../openapi/document.ts';
import { SAMPLE_LANGUAGES, withCodeSamples } from './code-samples.ts';
import { withProvenanceBadges } from './provenance-badges.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Where the samples point: the document's first server (the reference server). */
export function docsBaseUrl(doc: Json): string {
  const first = ((doc.servers ?? []) as Json[])[0];
  return String(first?.url ?? 'http://localhost:3000').replace(/\/$/, '');
}

/** The document the reference page renders: the bundle, with code samples and provenance badges. */
export function documentForDocs(api: ApiName, doc: Json): Json {
  return withProvenanceBadges(withCodeSamples(api, doc, docsBaseUrl(doc))).doc;
}

/**
 * Redoc options for build-docs: our defaults, then any `openapi:` settings of redocly.yaml (root, then
 * the API's entry), then the download links, which must stay relative for the page to work offline.
 * (build-docs reads redocly.yaml's `openapi:` only when no --openapi flag is given, hence the merge.)
 */
async function redocOptions(api: ApiName): Promise<string> {
  let fromConfig: Json = {};
  try {
    const config = (parse(await readFile(join(ROOT, 'redocly.yaml'), 'utf8')) ?? {}) as Json;
    const apiEntry = ((config.apis ?? {}) as Record<string, Json>)[api] ?? {};
    fromConfig = { ...((config.openapi ?? {}) as Json), ...((apiEntry.openapi ?? {}) as Json) };
  } catch {
    // no redocly.yaml: build-docs will complain about the alias itself
  }
  return JSON.stringify({
    jsonSamplesExpandLevel: 'all',
    // The two x-codeSamples of every operation (scripts/docs/code-samples.ts), switchable per page.
    codeSamples: { languages: SAMPLE_LANGUAGES },
    ...fromConfig,
    downloadUrls: [
      { title: 'OpenAPI JSON', url: `openapi/${api}.json` },
      { title: 'OpenAPI YAML', url: `openapi/${api}.yaml` },
    ],
  });
}

/** `redocly build-docs <document> --inlineBundle`, with Redocly's telemetry and update check off. */
export async function buildReference(api: ApiName, document: string, file: string): Promise<void> {
  const redocly = join(ROOT, 'node_modules', '.bin', 'redocly');
  const args = ['build-docs', document, '--inlineBundle', '-o', file, '--openapi', await redocOptions(api)];
  try {
    await run(redocly, args, {
      cwd: ROOT,
      maxBuffer: 16 * 1024 * 1024,
      env: {
        ...process.env,
        REDOCLY_TELEMETRY: 'off',
        REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
        REDOCLY_SUPPRESS_NOTIFICATIONS: 'true',
      },
    });
  } catch (err) {
    const e = err as Error & { stderr?: string; stdout?: string };
    throw new Error(`redocly build-docs ${api} failed: ${e.stderr || e.stdout || e.message}`);
  }
}
