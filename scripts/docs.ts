/**
 * npm run docs: the published reference of the five APIs, built offline into dist/docs/.
 *
 * - <api>.html: the reference page of each API (scripts/docs/reference-page.ts), made
 *   self-contained (scripts/docs/offline.ts).
 * - openapi/<api>.json and .yaml: the bundled document (a copy of generated/openapi/<api>.json and
 *   its YAML form), offered for download from the landing page and from each reference page.
 * - index.html: the landing page listing the APIs (scripts/docs/landing-page.ts).
 *
 * All links are relative, so the folder works served at /docs/ and opened by file path alike.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { API_NAMES } from '../generated/apis.ts';
import { loadBundled } from '../openapi/bundle.ts';
import { describeApi, renderIndex } from './docs/landing-page.ts';
import { makeOffline } from './docs/offline.ts';
import { buildReference, documentForDocs } from './docs/reference-page.ts';

/** Builds the six pages (index + one reference per API) into outDir; returns their paths. */
export async function buildDocs(outDir = 'dist/docs'): Promise<string[]> {
  const dir = resolve(outDir);
  await mkdir(join(dir, 'openapi'), { recursive: true });
  const scratch = await mkdtemp(join(tmpdir(), 'run-api-docs-'));
  try {
    return await buildInto(dir, scratch);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function buildInto(dir: string, scratch: string): Promise<string[]> {
  const entries = await Promise.all(
    API_NAMES.map(async (api) => {
      const doc = loadBundled(api);
      await writeFile(join(dir, 'openapi', `${api}.json`), `${JSON.stringify(doc, null, 2)}\n`);
      // Written for YAML 1.1 readers too (PyYAML, SnakeYAML): strings they would read as dates or
      // booleans are quoted, so every reader gets the JSON copy's values.
      await writeFile(join(dir, 'openapi', `${api}.yaml`), stringify(doc, { lineWidth: 0, version: '1.1' }));
      const file = join(dir, `${api}.html`);
      const document = join(scratch, `${api}.json`);
      await writeFile(document, JSON.stringify(documentForDocs(api, doc)));
      await buildReference(api, document, file);
      await writeFile(file, makeOffline(await readFile(file, 'utf8')));
      return { entry: describeApi(api, doc), file };
    }),
  );
  const index = join(dir, 'index.html');
  await writeFile(index, renderIndex(entries.map((e) => e.entry)));
  return [index, ...entries.map((e) => e.file)];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = process.argv[2] ?? 'dist/docs';
  buildDocs(outDir).then(
    (files) => process.stdout.write(`reference docs written:\n${files.map((f) => `  ${f}`).join('\n')}\n`),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
