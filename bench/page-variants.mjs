#!/usr/bin/env node
// Variants of the patient page side by side: each DIR holds an index.html
// served at / in place of the built page (the module, the widget and the
// trial as the demo serves them), each by its own server; loads interleaved
// in one browser, a fresh context per load. Prints per DIR the medians (ms
// since navigation start) of: the first question having a box, the widget
// ready to take an answer (its screening-ready event), the parser done
// (domInteractive), DOMContentLoaded and first contentful paint.
//   node bench/page-variants.mjs LOADS DIR...
// e.g. a copy of build/site/index.html with one tag changed, against build/site.
import { resolve } from 'node:path';
import { createDemoServer, defaultMounts } from '../examples/site/server.mjs';
import { launchBrowser } from '../tests/e2e/support.mjs';

const loads = Number(process.argv[2]);
const dirs = process.argv.slice(3).map((dir) => resolve(dir));
if (!(loads > 0) || dirs.length === 0) {
  console.error('usage: node bench/page-variants.mjs LOADS DIR...');
  process.exit(2);
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// Polled every animation frame from navigation start, as bench/browser.mjs
// does; the widget's screening-ready event heard the same way. Said on the
// console once both are in: waiting for that costs the page nothing, where
// page.waitForFunction would run Playwright's script in it.
const DONE = 'trial-screener-bench:variant-measured';
function watchFirstQuestion(message) {
  const sayWhenDone = () => {
    if (window.__questionShownMs !== undefined && window.__readyMs !== undefined) console.debug(message);
  };
  document.addEventListener('screening-ready', () => {
    window.__readyMs = performance.now();
    sayWhenDone();
  }, { once: true });
  const look = () => {
    const question = document.querySelector('trial-screener')?.shadowRoot?.querySelector('fieldset.question');
    if (question && question.getClientRects().length > 0) {
      window.__questionShownMs = performance.now();
      sayWhenDone();
      return;
    }
    requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
}

const variants = [];
for (const dir of dirs) {
  const server = createDemoServer({ mounts: [['/', dir], ...defaultMounts()] });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  variants.push({ dir, server, origin: `http://127.0.0.1:${server.address().port}`, loads: [] });
}
const browser = await launchBrowser();
try {
  for (let i = 0; i < loads; ++i) {
    for (const variant of i % 2 ? [...variants].reverse() : variants) {
      const context = await browser.newContext();
      await context.addInitScript(watchFirstQuestion, DONE);
      const page = await context.newPage();
      const measured = page.waitForEvent('console', { predicate: (message) => message.text() === DONE, timeout: 20_000 });
      await page.goto(`${variant.origin}/`, { waitUntil: 'load' });
      await measured;
      variant.loads.push(await page.evaluate(() => {
        const navigation = performance.getEntriesByType('navigation')[0];
        return {
          question: window.__questionShownMs,
          ready: window.__readyMs,
          parsed: navigation.domInteractive,
          domContentLoaded: navigation.domContentLoadedEventStart,
          firstContentfulPaint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
        };
      }));
      await context.close();
    }
  }
} finally {
  await browser.close();
  for (const { server } of variants) server.close();
}
const report = {};
for (const { dir, loads: measured } of variants) {
  report[dir] = Object.fromEntries(Object.keys(measured[0]).map((key) => [key, Math.round(median(measured.map((load) => load[key])))]));
}
console.log(JSON.stringify(report, null, 1));
