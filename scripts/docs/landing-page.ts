/**
 * The landing page of the docs (dist/docs/index.html): one card per API, read from its bundled
 * document (title, version, base path, auth, first sentence, operations). Inline CSS and relative
 * links only, so it works served at /docs/ and opened from disk alike.
 */
import { APIS, type ApiName } from '../../generated/apis.ts';
import { type Json, walkOperations } from '../../openapi/document.ts';

interface ApiOperation {
  operationId: string;
  method: string;
  path: string;
  summary: string;
}

interface ApiEntry {
  api: ApiName;
  title: string;
  version: string;
  basePath: string;
  auth: string;
  summary: string;
  operations: ApiOperation[];
}

/** The operations of a document, in document order. */
function operationsOf(doc: Json): ApiOperation[] {
  return walkOperations(doc)
    .filter(({ op }) => typeof op.operationId === 'string')
    .map(({ method, path, op }) => ({
      operationId: op.operationId as string,
      method,
      path,
      summary: String(op.summary ?? ''),
    }));
}

/** Everything the landing page shows about one API, read from its bundled document. */
export function describeApi(api: ApiName, doc: Json): ApiEntry {
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
