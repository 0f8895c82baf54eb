/**
 * The published reference in a real browser: Debian's chromium (found on PATH, never downloaded)
 * driven by playwright-core, against the server's /docs routes. Fails, never skips, without chromium.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { loadBundled } from '../../openapi/bundle.ts';
import { codeSamplesOf } from '../../scripts/docs/code-samples.ts';
import { BADGE_CLASS, BADGE_TEXT, inferredElements } from '../../scripts/docs/provenance-badges.ts';
import { docsBaseUrl } from '../../scripts/docs/reference-page.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import {
  DOC_API_NAMES,
  documentOperations,
  EXPECTED_BASE_PATHS,
  escapeRegExp,
  findChromium,
  launchChromium,
  loadSeed,
  normalise,
  sharedDocs,
} from './docs-helpers.ts';
import {
  expectOffline,
  type Opened,
  open,
  renderedText,
  showExample,
  showOperation,
  showStatus,
} from './redoc-page.ts';

const RESULTS = 'test-results';

let browser: Browser | undefined;
let server: TestServer | undefined;
let docsDir: string | undefined;

beforeAll(async () => {
  findChromium(); // a clear failure before anything else when chromium is missing
  // Chromium starts while the docs are built (once per run, shared with docs.test.ts: this file
  // only serves and opens them) and the server seeds.
  const launching = launchChromium();
  try {
    docsDir = (await sharedDocs()).dir;
    server = await startTestServer({ docsDir });
  } finally {
    browser = await launching;
  }
  await mkdir(RESULTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

function fromServer(u: string): boolean {
  return !!server && u.startsWith(`${server.url}/`);
}

describe('reference docs in chromium', () => {
  test('the index lists the five APIs and its links work', async () => {
    if (!server) throw new Error('server did not start');
    const opened = await open(browser, `${server.url}/docs/`, fromServer);
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
      // The icon a browser asks for beside every page: none, and no 404 in the console.
      expect((await page.request.get(`${server.url}/favicon.ico`)).status()).toBe(204);
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

  test('the pages also work opened by file path', async () => {
    if (!docsDir) throw new Error('docs were not built');
    const base = pathToFileURL(`${docsDir}/`).href;
    const isFile = (u: string) => u.startsWith(base);
    const opened = await open(browser, `${base}index.html`, isFile);
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

/**
 * One page per API, loaded once and used by that API's tests in turn (its examples, its badges for
 * matching, its code samples): loading Redoc's page was the part each test repeated. Every test
 * still routes to every operation itself, and checks the requests and console errors the page has
 * recorded since it was opened, its own included.
 */
describe.each(DOC_API_NAMES)('the %s reference in chromium', (api) => {
  const doc = loadBundled(api);
  let opened: Opened;

  beforeAll(async () => {
    if (!server) throw new Error('server did not start');
    opened = await open(browser, `${server.url}/docs/${api}.html`, fromServer);
  });
  afterAll(() => opened?.context.close());

  test(`${api}: every operation, status, header and named example is rendered; the seed example too`, async () => {
    const { page } = opened;
    const operations = documentOperations(doc);
    const seed = loadSeed(api);
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
  });

  if (api === 'matching') {
    test('matching: every element marked inferred shows the badge "inferred, not in the vendor\'s page"', async () => {
      const { page } = opened;
      const expected = inferredElements(doc).map((e) => e.pointer);
      expect(expected.length).toBeGreaterThan(5);
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
    });
  }

  test(`${api}: every operation shows its curl and its typed-client sample`, async () => {
    const { page } = opened;
    for (const op of documentOperations(doc)) {
      const section = await showOperation(page, op);
      const panel = section.locator('.panel-request-samples');
      const samples = codeSamplesOf(api, doc, op.path, op.method, docsBaseUrl(doc));
      // Typed client, then curl again: the choice is page-wide, and the next operation starts on curl
      // (no other test on this page changes it).
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
  });
});
