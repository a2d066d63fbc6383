// Shared end-to-end harness: the demo server on an ephemeral loopback port and
// Debian's Chromium through playwright-core, with guards that fail a test on
// any CSP violation, console error, page error or request that leaves the
// origin. Every request is recorded so tests can assert what was loaded.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { CHROMIUM_ARGS, launchBrowser } from '../../examples/site/chromium.mjs';
import { createDemoServer, defaultMounts } from '../../examples/site/server.mjs';

const repo = fileURLToPath(new URL('../..', import.meta.url));
export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

export { CHROMIUM_ARGS, launchBrowser };

/** The screening date the tests use, so windows and messages are reproducible. */
export const AS_OF = '2026-11-25';

// TRIALSCREEN_DIST points the server at another WebAssembly build directory.
export async function startServer() {
  const dist = process.env.TRIALSCREEN_DIST ? join(repo, process.env.TRIALSCREEN_DIST) : undefined;
  const server = createDemoServer({ mounts: [['/fixtures/', FIXTURES.replace(/\/$/, '')], ...defaultMounts(dist)] });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, close: () => new Promise((resolve) => server.close(resolve)) };
}

/**
 * A page with guards. `problems` collects every violation; call
 * `assertClean()` at the end of a test. `requests` lists every URL requested.
 * `allowConsole`: regular expressions of console errors a test expects.
 */
export async function guardedPage(browser, origin, { viewport = { width: 1024, height: 800 }, locale = 'en-US', allowConsole = [] } = {}) {
  const context = await browser.newContext({ viewport, locale, acceptDownloads: true });
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  const dialogs = [];
  page.on('request', (request) => {
    requests.push(request.url());
    const url = new URL(request.url());
    if (url.origin !== origin && url.protocol !== 'data:' && url.protocol !== 'blob:') {
      problems.push(`request left the origin: ${request.url()}`);
    }
  });
  page.on('console', (message) => {
    const text = message.text();
    if (allowConsole.some((pattern) => pattern.test(text))) return;
    if (message.type() === 'error' || /Content Security Policy/i.test(text)) {
      problems.push(`console ${message.type()}: ${text}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    problems.push(`dialog opened: ${dialog.type()} ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  // CSP violations are also reported as DOM events; record them in the page.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return {
    page,
    context,
    problems,
    requests,
    dialogs,
    assertClean(assert) {
      assert.deepEqual(problems, [], 'no CSP violation, console error, dialog or off-origin request');
    },
  };
}

/** Waits until the widget (the first, or `selector`) has loaded its trial. */
export async function widgetReady(page, selector = 'trial-screener') {
  await page.locator(`${selector} .widget[data-state="ready"]`).waitFor();
}

/** Sets the screening date on the widget (a re-render that keeps answers). */
export async function setAsOf(page, asOf = AS_OF) {
  await page.locator('trial-screener').evaluate((element, date) => element.setAttribute('as-of', date), asOf);
}

/** The focused element, looking through the widget's shadow root. */
export async function focused(page) {
  return page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    if (!active) return null;
    return {
      tag: active.tagName.toLowerCase(),
      type: active.getAttribute('type'),
      key: active.dataset?.key ?? null,
      id: active.id,
      checked: active.checked ?? null,
      text: active.textContent.trim().slice(0, 80),
    };
  });
}

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core in a page or frame and returns its violations. The source is
 * evaluated through the DevTools protocol, which the page's CSP does not
 * govern (an injected <script> tag would be blocked by script-src 'self'), so
 * the page keeps its strict policy while it is checked. `preload: false`
 * because axe's CSSOM preload copies stylesheets into inline <style>
 * elements, which style-src 'self' blocks (a violation our guards would
 * report); the one rule that needs it, css-orientation-lock, is covered by
 * orientationLocks() below.
 */
export async function axeViolations(target, { iframes = false } = {}) {
  const hasAxe = await target.evaluate(() => typeof window.axe === 'object');
  if (!hasAxe) await target.evaluate(AXE_SOURCE);
  return target.evaluate(async (options) => {
    const results = await window.axe.run(document, options);
    return results.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' >>> ')).slice(0, 5),
    }));
  }, { iframes, resultTypes: ['violations'], preload: false });
}

/** Stylesheets that lock the orientation (WCAG 1.3.4) among `files`. */
export function orientationLocks(files) {
  return files.filter((file) => /\borientation\s*:/.test(readFileSync(join(repo, file), 'utf8')));
}

export async function assertAccessible(assert, target, state, options) {
  const violations = await axeViolations(target, options);
  assert.deepEqual(violations, [], `axe-core finds no violation: ${state}`);
}

/** What the page kept: cookies, Web Storage, IndexedDB and Cache Storage. */
export async function storedState(page) {
  return page.evaluate(async () => ({
    cookie: document.cookie,
    localStorage: localStorage.length,
    sessionStorage: sessionStorage.length,
    indexedDB: (await indexedDB.databases()).map((db) => db.name),
    caches: 'caches' in window ? await caches.keys() : [],
  }));
}

/**
 * For one test file: the demo server and Chromium, started before its tests
 * and stopped after them. `demo.open(options)` is a guardedPage on the demo.
 */
export function useDemo() {
  let server;
  let browser;
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    get origin() {
      return server.origin;
    },
    open: (options) => guardedPage(browser, server.origin, options),
  };
}
