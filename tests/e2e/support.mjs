// Shared end-to-end harness: the demo server on an ephemeral loopback port and
// Debian's Chromium through playwright-core, with guards that fail a test on
// any CSP violation, console error, page error or request that leaves the
// origin. Every request is recorded so tests can assert what was loaded.
import { chromium } from 'playwright-core';
import { createDemoServer } from '../../examples/site/server.mjs';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
];

export async function startServer() {
  const server = createDemoServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, close: () => new Promise((resolve) => server.close(resolve)) };
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/**
 * A page with guards. `problems` collects every violation; call
 * `assertClean()` at the end of a test. `requests` lists every URL requested.
 */
export async function guardedPage(browser, origin, { viewport = { width: 1024, height: 800 }, locale = 'en-US' } = {}) {
  const context = await browser.newContext({ viewport, locale });
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  page.on('request', (request) => {
    requests.push(request.url());
    const url = new URL(request.url());
    if (url.origin !== origin && url.protocol !== 'data:' && url.protocol !== 'blob:') {
      problems.push(`request left the origin: ${request.url()}`);
    }
  });
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) {
      problems.push(`console ${message.type()}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  // CSP violations are also reported as DOM events; record them in the page.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return {
    page,
    context,
    problems,
    requests,
    assertClean(assert) {
      assert.deepEqual(problems, [], 'no CSP violation, console error or off-origin request');
    },
  };
}
