import { accessSync, constants, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { API_NAMES, APIS, type ApiName } from '../../generated/apis.ts';
import { type Json, resolveRef, walkOperations } from '../../openapi/document.ts';
import { buildDocs } from '../../scripts/docs.ts';
import { sharedBuild } from '../helpers/shared-build.ts';

export const DOC_API_NAMES: readonly ApiName[] = API_NAMES;
export type DocApiName = ApiName;

/** Base paths on the server, as the vendor pages (test/fixtures/seeds/) give them: redocly.yaml's x-base-path. */
export const EXPECTED_BASE_PATHS: Record<DocApiName, string> = Object.fromEntries(
  API_NAMES.map((api) => [api, APIS[api].basePath]),
) as Record<DocApiName, string>;

/** Debian's chromium on PATH; the test never downloads a browser. Throws (fails the file) when it is missing. */
export function findChromium(): string {
  for (const dir of (process.env.PATH ?? '').split(':').filter(Boolean)) {
    const candidate = join(dir, 'chromium');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new Error(
    'The docs browser test needs Debian\'s "chromium" on PATH and found none. Install it with ' +
      '`apt-get update && apt-get install -y chromium` (CI: .ci/run does this). The test never downloads a browser.',
  );
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: findChromium(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * `npm run docs` (buildDocs) into a folder of the run, built once for docs.test.ts and
 * docs.browser.test.ts alike: both only read it. `files` is what buildDocs returned.
 */
export function sharedDocs(): Promise<{ dir: string; files: string[] }> {
  return sharedBuild('docs', async (dir) => ({ dir, files: await buildDocs(dir) }));
}

export interface SeedFixture {
  api: DocApiName;
  operationId: string;
  examples: { status: string; value: unknown }[];
}

export function loadSeed(api: DocApiName): SeedFixture {
  return JSON.parse(readFileSync(new URL(`../fixtures/seeds/${api}.json`, import.meta.url), 'utf8')) as SeedFixture;
}

export interface NamedExample {
  key: string;
  label: string;
  value: unknown;
}

export interface DocResponse {
  status: string;
  headers: string[];
  examples: NamedExample[];
}

export interface DocOperation {
  operationId: string;
  method: string;
  path: string;
  summary: string;
  responses: DocResponse[];
}

/** The operations of a bundled document with their responses' headers and named examples, $refs resolved. */
export function documentOperations(doc: Json): DocOperation[] {
  return walkOperations(doc)
    .filter(({ op }) => typeof op.operationId === 'string')
    .map(({ path, method, op }) => {
      const responses = Object.entries(op.responses as Json).map(([status, r]) => {
        const res = resolveRef(doc, r);
        const media = ((res.content as Json | undefined)?.['application/json'] ?? {}) as Json;
        const examples = Object.entries((media.examples ?? {}) as Json).map(([key, ex]) => {
          const e = resolveRef(doc, ex);
          return { key, label: String(e.summary ?? key), value: e.value };
        });
        return { status, headers: Object.keys((res.headers ?? {}) as Json), examples };
      });
      return { operationId: String(op.operationId), method, path, summary: String(op.summary ?? ''), responses };
    });
}

/**
 * What a JSON viewer shows of a value, as whitespace-normalised snippets: `"key": <primitive>` for
 * every primitive member, `"key":` for nested members, and each primitive array item.
 */
export function jsonSnippets(value: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) {
      for (const item of v) {
        if (item !== null && typeof item === 'object') walk(item);
        else out.push(JSON.stringify(item));
      }
    } else if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        if (child !== null && typeof child === 'object') {
          out.push(`${JSON.stringify(k)}:`);
          walk(child);
        } else out.push(`${JSON.stringify(k)}: ${JSON.stringify(child)}`);
      }
    } else out.push(JSON.stringify(v));
  };
  walk(value);
  return [...new Set(out)];
}

export const normalise = (text: string) => text.replace(/\s+/g, ' ');

export const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
