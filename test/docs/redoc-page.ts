/**
 * Driving the reference pages in chromium for docs.browser.test.ts: opening a page with every
 * request and console error recorded, and routing to an operation, a status and a named example
 * the way a reader clicks through Redoc.
 */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import {
  type DocOperation,
  type DocResponse,
  escapeRegExp,
  jsonSnippets,
  type NamedExample,
  normalise,
} from './docs-helpers.ts';

const VIEWPORT = { width: 1400, height: 1000 };

export interface Opened {
  page: Page;
  context: BrowserContext;
  requests: string[];
  errors: string[];
}

/**
 * Opens a page recording every request and console error. Requests to anything but `allowed`
 * (or data:/blob:) are aborted, so nothing leaves the machine even when the assertion fails.
 */
export async function open(
  browser: Browser | undefined,
  url: string,
  allowed: (url: string) => boolean,
): Promise<Opened> {
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

export function expectOffline(opened: Opened, allowed: (url: string) => boolean) {
  const foreign = opened.requests.filter((u) => !allowed(u) && !u.startsWith('data:') && !u.startsWith('blob:'));
  expect(foreign, 'requests that left the machine').toEqual([]);
  expect(opened.errors, 'console errors').toEqual([]);
}

/** The rendered section of an operation: Redoc 3 gives it data-section-id "/<tag>/<operationid>". */
export function operationSection(page: Page, operationId: string): Locator {
  return page.locator(`[data-section-id$="/${operationId}" i]`);
}

/** Routes to an operation through the hash link the reference itself renders for it. */
export async function showOperation(page: Page, op: DocOperation): Promise<Locator> {
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
export async function renderedText(locator: Locator): Promise<string> {
  return normalise(await locator.innerText());
}

export function responsePanel(page: Page, section: Locator): Locator {
  return section.locator('[data-component-name="Panel/Panel"]').filter({
    has: page.locator('[data-component-name="Panel/PanelHeaderTitle"]', { hasText: /^Response$/ }),
  });
}

export async function showStatus(page: Page, section: Locator, op: DocOperation, res: DocResponse): Promise<Locator> {
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
export async function showExample(page: Page, panel: Locator, op: DocOperation, res: DocResponse, ex: NamedExample) {
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
