/**
 * The published reference in a real browser: Debian's chromium (found on PATH, never downloaded)
 * driven by playwright-core, against the server's /docs routes. Fails, never skips, without chromium.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { loadBundled } from '../../openapi/bundle.ts';
import { codeSamplesOf } from '../../scripts/docs/code-samples.ts';
import { BADGE_CLASS, BADGE_TEXT, inferredElements } from '../../scripts/docs/provenance-badges.ts';
import { docsBaseUrl } from '../../scripts/docs/reference-page.ts';
import { buildDocs } from '../../scripts/docs.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import {
  DOC_API_NAMES,
  type DocApiName,
  type DocOperation,
  type DocResponse,
  documentOperations,
  EXPECTED_BASE_PATHS,
  escapeRegExp,
  findChromium,
  jsonSnippets,
  launchChromium,
  loadSeed,
  type NamedExample,
  normalise,
} from './docs-helpers.ts';

const RESULTS = 'test-results';
const VIEWPORT = { width: 1400, height: 1000 };

let browser: Browser | undefined;
let server: TestServer | undefined;
let docsDir: string | undefined;

beforeAll(async () => {
  findChromium(); // a clear failure before anything else when chromium is missing
  docsDir = await mkdtemp(join(tmpdir(), 'run-api-docs-browser-'));
  await buildDocs(docsDir);
  [server, browser] = await Promise.all([startTestServer({ docsDir }), launchChromium()]);
  await mkdir(RESULTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (docsDir) await rm(docsDir, { recursive: true, force: true });
});

interface Opened {
  page: Page;
  context: BrowserContext;
  requests: string[];
  errors: string[];
}

/**
 * Opens a page recording every request and console error. Requests to anything but `allowed`
 * (or data:/blob:) are aborted, so nothing leaves the machine even when the assertion fails.
 */
async function open(url: string, allowed: (url: string) => boolean): Promise<Opened> {
  if (!browser) throw new Error('chromium did not start');
  const context = await browser.newContext({ viewport: VIEWPORT });
  const isLocal = (u: string) => allowed(u) || u.startsWith('data:') || u.startsWith('blob:');
  await context.route(
    (u) => !isLocal(u.href),
    (route) => route.abort('blockedbyclient'),
  );
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  const response = await page.goto(url, { waitUntil: 'load' });
  if (url.startsWith('http')) {
    expect(response?.status(), url).toBe(200);
    // Everything below renders under the server's policy: a violation would be a console error.
    const headers = response?.headers() ?? {};
    expect(headers['content-security-policy'], url).toMatch(/frame-ancestors 'self'/);
    expect(headers['content-security-policy'], url).toMatch(/default-src 'self'/);
    expect(headers['x-frame-options'], url).toBe('SAMEORIGIN');
  }
  return { page, context, requests, errors };
}

function fromServer(u: string): boolean {
  return !!server && u.startsWith(`${server.url}/`);
}

function expectOffline(opened: Opened, allowed: (url: string) => boolean) {
  const foreign = opened.requests.filter((u) => !allowed(u) && !u.startsWith('data:') && !u.startsWith('blob:'));
  expect(foreign, 'requests that left the machine').toEqual([]);
  expect(opened.errors, 'console errors').toEqual([]);
}

/** The rendered section of an operation: Redoc 3 gives it data-section-id "/<tag>/<operationid>". */
function operationSection(page: Page, operationId: string): Locator {
  return page.locator(`[data-section-id$="/${operationId}" i]`);
}

/** Routes to an operation through the hash link the reference itself renders for it. */
async function showOperation(page: Page, op: DocOperation): Promise<Locator> {
  const link = page.locator(`a[href^="#/"][href$="/${op.operationId}" i]`).first();
  await link.waitFor({ state: 'attached', timeout: 15_000 });
  const href = await link.getAttribute('href');
  expect(href, `${op.operationId}: no link in the reference`).toBeTruthy();
  await page.evaluate((h) => {
    window.location.hash = h;
  }, href ?? '');
  const section = operationSection(page, op.operationId);
  await section.waitFor({ state: 'visible', timeout: 15_000 });
  expect(await section.count(), `${op.operationId} rendered once`).toBe(1);
  // A long section may still be laying out when it becomes visible.
  await expect.poll(() => renderedText(section), { message: op.operationId }).toContain(op.summary);
  expect(await renderedText(section), op.operationId).toContain(op.path);
  return section;
}

/** The text a reader sees (layout-aware, hidden parts left out), whitespace normalised. */
async function renderedText(locator: Locator): Promise<string> {
  return normalise(await locator.innerText());
}

function responsePanel(page: Page, section: Locator): Locator {
  return section.locator('[data-component-name="Panel/Panel"]').filter({
    has: page.locator('[data-component-name="Panel/PanelHeaderTitle"]', { hasText: /^Response$/ }),
  });
}

async function showStatus(page: Page, section: Locator, op: DocOperation, res: DocResponse): Promise<Locator> {
  const panel = responsePanel(page, section);
  await panel.getByRole('button', { name: res.status, exact: true }).click();
  // The left column follows the selected status: every declared header is documented there.
  for (const header of res.headers) {
    const id = `/t=response&c=${res.status}&path=${header.toLowerCase()}`;
    await expect
      .poll(() => section.locator(`[id$="${id}" i]`).count(), { message: `${op.operationId} ${res.status} ${header}` })
      .toBe(1);
  }
  const text = await renderedText(section);
  for (const header of res.headers) expect(text, `${op.operationId} ${res.status}`).toContain(header);
  return panel;
}

/** Selects a named example of the selected status and checks its body is rendered in the panel. */
async function showExample(page: Page, panel: Locator, op: DocOperation, res: DocResponse, ex: NamedExample) {
  const what = `${op.operationId} ${res.status} example ${ex.key}`;
  if (res.examples.length > 1) {
    await panel.locator('button[aria-label="Example"]').click();
    await page
      .locator('[data-component-name="Dropdown/DropdownMenuItem"]:visible')
      .filter({ hasText: new RegExp(`^\\s*${escapeRegExp(ex.label)}\\s*$`) })
      .click();
  }
  const expected = jsonSnippets(ex.value);
  await expect
    .poll(
      async () => {
        const text = await renderedText(panel);
        return expected.filter((s) => !text.includes(s));
      },
      { message: `${what}: fields missing from the rendered example`, timeout: 5_000 },
    )
    .toEqual([]);
}

describe('reference docs in chromium', () => {
  test('the index lists the five APIs and its links work', async () => {
    if (!server) throw new Error('server did not start');
    const opened = await open(`${server.url}/docs/`, fromServer);
    const { page } = opened;
    try {
      for (const api of DOC_API_NAMES) {
        const info = loadBundled(api).info as { title: string; version: string };
        const card = page.locator(`[data-api="${api}"]`);
        const text = await renderedText(card);
        expect(text).toContain(info.title);
        expect(text).toContain(`v${info.version}`);
        expect(text).toContain(EXPECTED_BASE_PATHS[api]);
        expect(text).toContain('Bearer');
        expect(await card.locator('a.reference').getAttribute('href')).toBe(`${api}.html`);
        for (const ext of ['json', 'yaml']) {
          const href = await card.locator(`a[href="openapi/${api}.${ext}"]`).getAttribute('href');
          const res = await page.request.get(new URL(href ?? '', page.url()).href);
          expect(res.status(), `${api}.${ext}`).toBe(200);
          const body = await res.text();
          expect(ext === 'json' ? JSON.parse(body) : parse(body)).toEqual(loadBundled(api));
        }
        const reference = await page.request.get(new URL(`${api}.html`, page.url()).href);
        expect(reference.status()).toBe(200);
        expect(reference.headers()['content-type']).toMatch(/text\/html/);
      }
      // The bundled documents are also served at /openapi/<api>.json.
      for (const api of DOC_API_NAMES) {
        const res = await page.request.get(`${server.url}/openapi/${api}.json`);
        expect(res.status()).toBe(200);
      }
      await page.screenshot({ path: join(RESULTS, 'docs-index.png'), fullPage: true });
      await page.locator('[data-api="telemetry"] a.reference').click();
      await page.waitForURL(`${server.url}/docs/telemetry.html`);
      await page.locator('a[href^="#/"][href$="/telemetryGetRunSummary" i]').first().waitFor({ state: 'attached' });
      expectOffline(opened, fromServer);
    } finally {
      await opened.context.close();
    }
  });

  test.each(DOC_API_NAMES)(
    '%s: every operation, status, header and named example is rendered; the seed example too',
    async (api: DocApiName) => {
      if (!server) throw new Error('server did not start');
      const doc = loadBundled(api);
      const operations = documentOperations(doc);
      const seed = loadSeed(api);
      const opened = await open(`${server.url}/docs/${api}.html`, fromServer);
      const { page } = opened;
      try {
        expect(await page.title()).toBe((doc.info as { title: string }).title);
        for (const op of operations) {
          const section = await showOperation(page, op);
          for (const res of op.responses) {
            const panel = await showStatus(page, section, op, res);
            for (const ex of res.examples) await showExample(page, panel, op, res, ex);
          }
        }

        // The seed's own examples, verbatim, are named examples of the seed operation and render.
        const op = operations.find((o) => o.operationId === seed.operationId);
        expect(op, `${api}: the seed operation ${seed.operationId}`).toBeDefined();
        if (!op) return;
        const section = await showOperation(page, op);
        for (const seedExample of [...seed.examples].reverse()) {
          const res = op.responses.find((r) => r.status === seedExample.status);
          const ex = res?.examples.find((e) => isDeepStrictEqual(e.value, seedExample.value));
          expect(ex, `${api}: the seed's ${seedExample.status} example is a named example`).toBeDefined();
          if (!res || !ex) continue;
          const panel = await showStatus(page, section, op, res);
          await showExample(page, panel, op, res, ex);
        }
        await section.evaluate((el) => el.scrollIntoView());
        await page.screenshot({ path: join(RESULTS, `docs-${api}.png`) });
        expectOffline(opened, fromServer);
      } finally {
        await opened.context.close();
      }
    },
  );

  test('the pages also work opened by file path', async () => {
    if (!docsDir) throw new Error('docs were not built');
    const base = pathToFileURL(`${docsDir}/`).href;
    const isFile = (u: string) => u.startsWith(base);
    const opened = await open(`${base}index.html`, isFile);
    const { page } = opened;
    try {
      await page.locator('[data-api="samples"] a.reference').click();
      await page.waitForURL(`${base}samples.html`);
      const op = documentOperations(loadBundled('samples')).find((o) => o.operationId === 'samplesGetRunSummary');
      if (!op) throw new Error('samplesGetRunSummary is not in the samples document');
      await showOperation(page, op);
      // The sidebar's links stay inside the page.
      const sidebarHrefs = await page
        .locator('[data-component-name="Menu/MenuItem"] a[href]')
        .evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
      expect(sidebarHrefs.length).toBeGreaterThan(0);
      for (const href of sidebarHrefs) expect(href).toMatch(/^#\//);
      await page.screenshot({ path: join(RESULTS, 'docs-file-samples.png') });
      expectOffline(opened, isFile);
    } finally {
      await opened.context.close();
    }
  });
});

describe('provenance badges and code samples in chromium', () => {
  test('matching: every element marked inferred shows the badge "inferred, not in the vendor\'s page"', async () => {
    if (!server) throw new Error('server did not start');
    const doc = loadBundled('matching');
    const expected = inferredElements(doc).map((e) => e.pointer);
    expect(expected.length).toBeGreaterThan(5);
    const opened = await open(`${server.url}/docs/matching.html`, fromServer);
    const { page } = opened;
    const seen = new Set<string>();
    const collect = async (section: Locator) => {
      const badges = section.locator(`.${BADGE_CLASS}`);
      for (const b of await badges.evaluateAll((els) =>
        els.map((e) => ({ pointer: e.getAttribute('data-provenance') ?? '', text: e.textContent ?? '' })),
      )) {
        expect(b.text).toBe(BADGE_TEXT);
        seen.add(b.pointer);
      }
    };
    const missing = () => expected.filter((p) => !seen.has(p));
    try {
      // Redoc renders a selected status's schema a moment after the click: a badge not seen in one
      // pass over every operation and status is looked for again, and only a badge missing from
      // three whole passes fails the test.
      for (let pass = 0; pass < 3 && (pass === 0 || missing().length > 0); pass++) {
        for (const op of documentOperations(doc)) {
          const section = await showOperation(page, op);
          await collect(section);
          for (const res of op.responses) {
            await showStatus(page, section, op, res);
            await collect(section);
          }
        }
      }
      expect(missing()).toEqual([]);
      expectOffline(opened, fromServer);
    } finally {
      await opened.context.close();
    }
  });

  test.each(DOC_API_NAMES)('%s: every operation shows its curl and its typed-client sample', async (api) => {
    if (!server) throw new Error('server did not start');
    const doc = loadBundled(api);
    const opened = await open(`${server.url}/docs/${api}.html`, fromServer);
    const { page } = opened;
    try {
      for (const op of documentOperations(doc)) {
        const section = await showOperation(page, op);
        const panel = section.locator('.panel-request-samples');
        const samples = codeSamplesOf(api, doc, op.path, op.method, docsBaseUrl(doc));
        // Typed client, then curl again: the choice is page-wide, and the next operation starts on curl.
        for (const sample of [...samples.slice(1), samples[0]].filter((x) => x !== undefined)) {
          await panel.getByRole('button', { name: /^(curl|Typed client)$/ }).click();
          await page
            .locator('[data-component-name="Dropdown/DropdownMenuItem"]:visible')
            .filter({ hasText: new RegExp(`^\\s*${escapeRegExp(sample.label)}\\s*$`) })
            .click();
          await expect
            .poll(async () => normalise(await panel.innerText()), { message: `${op.operationId} ${sample.label}` })
            .toContain(normalise(sample.source));
        }
      }
      expectOffline(opened, fromServer);
    } finally {
      await opened.context.close();
    }
  });
});
