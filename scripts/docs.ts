/**
 * npm run docs: the published reference of the five APIs, built offline.
 *
 * - dist/docs/<api>.html: `redocly build-docs <api> --inlineBundle` (Redoc's script is inlined, no CDN),
 *   rendered from the alias in redocly.yaml; Redoc 3 routes with the URL hash, so the page works at
 *   any path and when opened from disk.
 * - dist/docs/openapi/<api>.json and .yaml: the bundled document (a copy of generated/openapi/<api>.json
 *   and its YAML form), offered for download from the landing page and from each reference page.
 * - dist/docs/index.html: a self-contained landing page (no external resources) listing the APIs.
 * - The page is rendered from the bundled document plus what only the docs carry: every operation's
 *   x-codeSamples (the vendor-style curl and the typed-client call, scripts/docs/code-samples.ts) and
 *   a badge on every element marked `x-provenance: inferred` (scripts/docs/provenance-badges.ts).
 *
 * All links are relative, so the folder works served at /docs/ and opened by file path alike.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { API_NAMES, APIS, type ApiName } from '../generated/apis.ts';
import { SAMPLE_LANGUAGES, withCodeSamples } from './docs/code-samples.ts';
import { withProvenanceBadges } from './docs/provenance-badges.ts';

const run = promisify(execFile);

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DOC_APIS: readonly ApiName[] = API_NAMES;
export type DocApi = ApiName;

type Json = Record<string, unknown>;

export interface ApiOperation {
  operationId: string;
  method: string;
  path: string;
  summary: string;
}

export interface ApiEntry {
  api: DocApi;
  title: string;
  version: string;
  basePath: string;
  auth: string;
  summary: string;
  operations: ApiOperation[];
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Reads the bundled document that `npm run generate` wrote. */
export async function loadBundledDocument(api: DocApi): Promise<Json> {
  return JSON.parse(await readFile(join(ROOT, 'generated', 'openapi', `${api}.json`), 'utf8')) as Json;
}

/** The operations of a document, in document order. */
export function operationsOf(doc: Json): ApiOperation[] {
  const out: ApiOperation[] = [];
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
    for (const method of HTTP_METHODS) {
      const op = item[method] as Json | undefined;
      if (op && typeof op.operationId === 'string') {
        out.push({ operationId: op.operationId, method, path, summary: String(op.summary ?? '') });
      }
    }
  }
  return out;
}

/** Everything the landing page shows about one API, read from its bundled document. */
export function describeApi(api: DocApi, doc: Json): ApiEntry {
  const info = (doc.info ?? {}) as Json;
  const operations = operationsOf(doc);
  const basePath = APIS[api].basePath;
  const stray = operations.find((o) => o.path !== basePath && !o.path.startsWith(`${basePath}/`));
  if (stray) throw new Error(`${api}: ${stray.path} is outside the base path ${basePath}`);
  return {
    api,
    title: String(info.title ?? api),
    version: String(info.version ?? ''),
    basePath,
    auth: describeAuth(doc),
    summary: oneLine(String(info.summary ?? info.description ?? '')),
    operations,
  };
}

/** The root security requirements in words: alternatives joined by "or", schemes within one by "and". */
function describeAuth(doc: Json): string {
  const schemes = ((doc.components as Json | undefined)?.securitySchemes ?? {}) as Record<string, Json>;
  const requirements = (doc.security ?? []) as Record<string, string[]>[];
  const words = requirements.map((req) => {
    const names = Object.keys(req);
    if (names.length === 0) return 'none';
    return names.map((name) => describeScheme(schemes[name] ?? {})).join(' and ');
  });
  return words.length > 0 ? [...new Set(words)].join(' or ') : 'none';
}

function describeScheme(s: Json): string {
  switch (s.type) {
    case 'http': {
      const scheme = String(s.scheme ?? '').toLowerCase();
      if (scheme === 'bearer') return `Bearer ${s.bearerFormat ? String(s.bearerFormat) : 'token'}`;
      return `HTTP ${String(s.scheme)}`;
    }
    case 'apiKey':
      return `API key in ${String(s.in)} ${String(s.name)}`;
    case 'oauth2':
      return 'OAuth 2.0';
    case 'openIdConnect':
      return 'OpenID Connect';
    case 'mutualTLS':
      return 'mutual TLS';
    default:
      return String(s.type ?? 'unknown');
  }
}

/** The first sentence of the first paragraph, without Markdown emphasis or code ticks. */
function oneLine(markdown: string): string {
  const paragraph = (markdown.trim().split(/\n\s*\n/)[0] ?? '').replace(/\s+/g, ' ');
  const plain = paragraph.replace(/[`*_]/g, '');
  const end = plain.search(/[.!?](\s|$)/);
  return end >= 0 ? plain.slice(0, end + 1) : plain;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** The landing page: inline CSS only, relative links only. */
export function renderIndex(entries: ApiEntry[]): string {
  const cards = entries
    .map((e) => {
      const ops = e.operations
        .map(
          (o) =>
            `<li><span class="method">${o.method.toUpperCase()}</span> <code>${escapeHtml(o.path)}</code> ` +
            `<span class="op-summary">${escapeHtml(o.summary)}</span></li>`,
        )
        .join('\n          ');
      return `    <section class="api" id="${e.api}" data-api="${e.api}">
      <h2><a href="${e.api}.html">${escapeHtml(e.title)}</a> <span class="version">v${escapeHtml(e.version)}</span></h2>
      <p class="summary">${escapeHtml(e.summary)}</p>
      <dl>
        <dt>Base path</dt><dd><code class="base-path">${escapeHtml(e.basePath)}</code></dd>
        <dt>Auth</dt><dd class="auth">${escapeHtml(e.auth)}</dd>
        <dt>Operations</dt><dd>
        <ul class="ops">
          ${ops}
        </ul></dd>
      </dl>
      <p class="links">
        <a class="reference" href="${e.api}.html">Reference</a>
        <a class="download" href="openapi/${e.api}.json" download="${e.api}.json">OpenAPI JSON</a>
        <a class="download" href="openapi/${e.api}.yaml" download="${e.api}.yaml">OpenAPI YAML</a>
      </p>
    </section>`;
    })
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>run-api-contracts: API reference</title>
  <style>
    :root { color-scheme: light dark; --fg: #1d2330; --muted: #5b6475; --bg: #f6f7f9; --card: #fff; --line: #dde1e8; --accent: #2f5bd3; }
    @media (prefers-color-scheme: dark) { :root { --fg: #e6e9ef; --muted: #a2aaba; --bg: #14171d; --card: #1d2129; --line: #323846; --accent: #8aa8ff; } }
    * { box-sizing: border-box; }
    body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
    header, main { max-width: 960px; margin: 0 auto; padding: 1.5rem; }
    header h1 { margin: 0 0 .25rem; font-size: 1.6rem; }
    header p { margin: 0; color: var(--muted); }
    main { display: grid; gap: 1rem; padding-top: 0; }
    .api { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem; }
    .api h2 { margin: 0; font-size: 1.2rem; }
    .api h2 a { color: inherit; text-decoration: none; }
    .api h2 a:hover { text-decoration: underline; }
    .version { font-size: .8rem; font-weight: 500; color: var(--muted); border: 1px solid var(--line); border-radius: 999px; padding: 0 .5rem; vertical-align: middle; }
    .summary { margin: .4rem 0 .6rem; }
    dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0; }
    dt { color: var(--muted); }
    dd { margin: 0; }
    code { font: .9em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
    .ops { list-style: none; margin: 0; padding: 0; }
    .method { display: inline-block; min-width: 3.2rem; font: 600 .75rem ui-monospace, monospace; color: var(--accent); }
    .op-summary { color: var(--muted); }
    .links { display: flex; flex-wrap: wrap; gap: .5rem; margin: .8rem 0 0; }
    .links a { color: var(--accent); border: 1px solid var(--line); border-radius: 6px; padding: .2rem .7rem; text-decoration: none; }
    .links a.reference { background: var(--accent); border-color: var(--accent); color: var(--card); }
    footer { max-width: 960px; margin: 0 auto; padding: 0 1.5rem 2rem; color: var(--muted); font-size: .85rem; }
  </style>
</head>
<body>
  <header>
    <h1>Job-run API reference</h1>
    <p>Five job-run APIs, each documented from its OpenAPI 3.1 contract. Every page works offline.</p>
  </header>
  <main>
${cards}
  </main>
  <footer>Built by <code>npm run docs</code> from <code>generated/openapi/</code>.</footer>
</body>
</html>
`;
}

/**
 * Redoc options for build-docs: our defaults, then any `openapi:` settings of redocly.yaml (root, then
 * the API's entry), then the download links, which must stay relative for the page to work offline.
 * (build-docs reads redocly.yaml's `openapi:` only when no --openapi flag is given, hence the merge.)
 */
async function redocOptions(api: DocApi): Promise<string> {
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

/**
 * Redoc 3's sidebar footer ("API docs by Redocly") loads its logo from cdn.redoc.ly once the page
 * is hydrated, whatever the options say: offline that is a failed request and a console error.
 * The logo is swapped for an inline SVG; the attribution link stays.
 */
const LOGO_URLS = ['https://cdn.redoc.ly/redoc/logo-mini-full.svg', 'https://cdn.redoc.ly/redoc/logo-mini.svg'];
const LOGO_SVG = (text: string, width: number) =>
  `data:image/svg+xml,${encodeURIComponent(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="16" viewBox="0 0 ${width} 16">` +
      `<text x="0" y="12" font-family="system-ui,sans-serif" font-size="12" font-weight="600" fill="#0044D4">${text}</text></svg>`,
  )}`;

/**
 * Redoc 3 routes with the URL hash in the browser, but build-docs prerenders the sidebar with
 * root-relative links (`/telemetry`) that hydration keeps: opened in a new tab, or from disk, they
 * would point outside the page. The prerendered links become the hash links the client uses.
 */
function hashLinks(html: string): string {
  const start = html.indexOf('<div id="redoc">');
  const end = html.indexOf('<script type="module">', start);
  if (start < 0 || end < 0) throw new Error('unexpected build-docs output: no prerendered #redoc');
  const prerendered = html.slice(start, end).replace(/ href="\/(?!\/)/g, ' href="#/');
  return html.slice(0, start) + prerendered + html.slice(end);
}

/** Makes a built page self-contained; fails when something would still be fetched from the network. */
export function makeOffline(html: string): string {
  let out = hashLinks(html);
  for (const url of LOGO_URLS) {
    out = out.split(url).join(url.endsWith('full.svg') ? LOGO_SVG('Redocly', 56) : LOGO_SVG('R', 10));
  }
  const external = externalResources(out);
  if (external.length > 0) throw new Error(`the page still loads external resources: ${external.join(', ')}`);
  if (!out.includes('"disableTelemetry":true')) throw new Error('Redoc telemetry is not disabled in the page');
  return out;
}

/** http(s) URLs the page would load as a script, stylesheet, font, image or frame (not plain links). */
export function externalResources(html: string): string[] {
  const patterns = [
    /<script\b[^>]*\bsrc\s*=\s*["']?(https?:)?\/\/[^"'\s>]+/gi,
    /<link\b[^>]*\bhref\s*=\s*["']?(https?:)?\/\/[^"'\s>]+/gi,
    /<(?:img|iframe|source|embed|object)\b[^>]*\b(?:src|data)\s*=\s*["']?(https?:)?\/\/[^"'\s>]+/gi,
    /@import\s+(?:url\()?["']?(https?:)?\/\/[^"')\s]+/gi,
    /url\(\s*["']?(https?:)?\/\/[^"')\s]+/gi,
    /https:\/\/cdn\.redoc(?:ly\.com|\.ly)\/redoc\/[^"'`\s]+/gi,
  ];
  return [...new Set(patterns.flatMap((re) => html.match(re) ?? []))];
}

/** Where the samples point: the document's first server (the reference server). */
export function docsBaseUrl(doc: Json): string {
  const first = ((doc.servers ?? []) as Json[])[0];
  return String(first?.url ?? 'http://localhost:3000').replace(/\/$/, '');
}

/** The document the reference page renders: the bundle, with code samples and provenance badges. */
export function documentForDocs(api: DocApi, doc: Json): Json {
  return withProvenanceBadges(withCodeSamples(api, doc, docsBaseUrl(doc))).doc;
}

/** `redocly build-docs <document> --inlineBundle`, with Redocly's telemetry and update check off. */
async function buildReference(api: DocApi, document: string, file: string): Promise<void> {
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
    DOC_APIS.map(async (api) => {
      const doc = await loadBundledDocument(api);
      await writeFile(join(dir, 'openapi', `${api}.json`), `${JSON.stringify(doc, null, 2)}\n`);
      await writeFile(join(dir, 'openapi', `${api}.yaml`), stringify(doc, { lineWidth: 0 }));
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
