import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { loadBundled } from '../../openapi/bundle.ts';
import { DOC_API_NAMES, EXPECTED_BASE_PATHS, sharedDocs } from './docs-helpers.ts';

/**
 * What a browser would fetch from the network: scripts, stylesheets, fonts, images or frames with an
 * http(s) or protocol-relative URL, CSS url()/@import, and Redoc's CDN (bundle and logo).
 */
const EXTERNAL = [
  /<script\b[^>]*\bsrc\s*=\s*["']?(?:https?:)?\/\//i,
  /<link\b[^>]*\bhref\s*=\s*["']?(?:https?:)?\/\//i,
  /<(?:img|iframe|source|embed|object|video|audio)\b[^>]*\b(?:src|data)\s*=\s*["']?(?:https?:)?\/\//i,
  /@import\s+(?:url\()?\s*["']?(?:https?:)?\/\//i,
  /url\(\s*["']?(?:https?:)?\/\//i,
  /@font-face[^}]*https?:\/\//i,
  /cdn\.redocly\.com\/redoc\//i,
  /cdn\.redoc\.ly\//i,
  /fonts\.(?:googleapis|gstatic)\.com/i,
];

let dir: string;
let files: string[];

beforeAll(async () => {
  ({ dir, files } = await sharedDocs());
}, 180_000);

describe('npm run docs (buildDocs)', () => {
  test('writes six pages: the index and one reference per API', () => {
    expect(files).toEqual([join(dir, 'index.html'), ...DOC_API_NAMES.map((api) => join(dir, `${api}.html`))]);
    for (const file of files) expect(existsSync(file), file).toBe(true);
  });

  test('no page loads a script, stylesheet, font or image from the network', async () => {
    for (const file of files) {
      const html = await readFile(file, 'utf8');
      const hits = EXTERNAL.map((re) => html.match(re)?.[0]).filter(Boolean);
      expect(hits, file).toEqual([]);
    }
  });

  test('each reference inlines Redoc, has Redocly telemetry off and relative download links', async () => {
    for (const api of DOC_API_NAMES) {
      const html = await readFile(join(dir, `${api}.html`), 'utf8');
      expect(html).toMatch(/<script type="module">\s*\/\*\*[\s\S]*?Redocly/);
      expect(html).toContain('"disableTelemetry":true');
      expect(html).toContain(`"url":"openapi/${api}.json"`);
      expect(html).toContain(`"url":"openapi/${api}.yaml"`);
      const title = (loadBundled(api).info as { title: string }).title;
      expect(html).toContain(`<title>${title}</title>`);
      // The prerendered sidebar links use the hash router, never a server path.
      const prerendered = html.slice(html.indexOf('<div id="redoc">'), html.indexOf('<script type="module">'));
      expect(prerendered).not.toMatch(/ href="\/(?!\/)/);
    }
  });

  test('the bundled documents are offered as JSON and YAML copies next to the pages', async () => {
    for (const api of DOC_API_NAMES) {
      const doc = loadBundled(api);
      expect(JSON.parse(await readFile(join(dir, 'openapi', `${api}.json`), 'utf8'))).toEqual(doc);
      const yaml = await readFile(join(dir, 'openapi', `${api}.yaml`), 'utf8');
      expect(parse(yaml)).toEqual(doc);
      // YAML 1.1 readers (PyYAML, SnakeYAML) too: a timestamp, yes/no or on/off left plain would be theirs to convert.
      expect(parse(yaml, { version: '1.1' })).toEqual(doc);
    }
  });

  test('the index lists each API with title, version, base path, auth and summary, linking relatively', async () => {
    const html = await readFile(join(dir, 'index.html'), 'utf8');
    expect(html).not.toMatch(/<script\b/i);
    expect(html).not.toMatch(/https?:\/\//i);
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1] ?? '');
    for (const href of hrefs) expect(href).toMatch(/^(?:[a-z]+\.html|openapi\/[a-z]+\.(?:json|yaml))$/);
    for (const api of DOC_API_NAMES) {
      const info = loadBundled(api).info as { title: string; version: string };
      const start = html.indexOf(`data-api="${api}"`);
      expect(start, api).toBeGreaterThan(0);
      const card = html.slice(start, html.indexOf('</section>', start));
      expect(card).toContain(info.title.replace(/&/g, '&amp;'));
      expect(card).toContain(`v${info.version}`);
      expect(card).toContain(`<code class="base-path">${EXPECTED_BASE_PATHS[api]}</code>`);
      expect(card).toMatch(/<dd class="auth">Bearer [^<]+<\/dd>/);
      expect(card).toMatch(/<p class="summary">[^<]{20,}<\/p>/);
      expect(card).toContain(`href="${api}.html"`);
      expect(card).toContain(`href="openapi/${api}.json"`);
      expect(card).toContain(`href="openapi/${api}.yaml"`);
    }
  });
});
