/**
 * What makes a page built by build-docs work offline: its prerendered links become hash links and
 * Redoc's CDN logo an inline SVG; the build fails when anything would still be fetched.
 */

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
function externalResources(html: string): string[] {
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
