#!/usr/bin/env node
// This machine's floor for the start-up figure: a static page whose HTML
// already holds a <fieldset class="question">, loaded the way bench/browser.mjs
// loads the patient page (a fresh browser context per load, the fieldset
// watched every animation frame from navigation start). Prints one JSON object:
// the median ms until the fieldset has a box and until first contentful paint.
//   node bench/floor.mjs [LOADS]   (default 12)
import { createServer } from 'node:http';
import { launchBrowser } from '../tests/e2e/support.mjs';

const LOADS = Number(process.argv[2] ?? 12);
// Said on the console when the fieldset shows: waiting for it costs the page
// nothing, where page.waitForFunction would run Playwright's script in it (as
// bench/browser.mjs explains).
const SHOWN = 'trial-screener-bench:floor-question-visible';
const PAGE = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Floor</title></head>'
  + '<body><h1>Could this study be right for me?</h1><fieldset class="question"><legend>Your age</legend>'
  + '<input aria-label="Age"></fieldset></body></html>';

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const server = createServer((request, response) => {
  response.setHeader('content-type', 'text/html; charset=utf-8');
  response.end(PAGE);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const browser = await launchBrowser();
const visible = [];
const paint = [];
try {
  for (let i = 0; i < LOADS; ++i) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript((message) => {
      const look = () => {
        const question = document.querySelector('fieldset.question');
        if (question && question.getClientRects().length > 0) {
          window.__visibleMs = performance.now();
          console.debug(message);
        } else {
          requestAnimationFrame(look);
        }
      };
      requestAnimationFrame(look);
    }, SHOWN);
    const shown = page.waitForEvent('console', { predicate: (message) => message.text() === SHOWN, timeout: 60_000 });
    await page.goto(`http://127.0.0.1:${server.address().port}/`, { waitUntil: 'commit' });
    await shown;
    visible.push(await page.evaluate(() => window.__visibleMs));
    // First contentful paint, once the browser has recorded it.
    paint.push(await page.evaluate(() => new Promise((resolve) => {
      new PerformanceObserver((entries, observer) => {
        const entry = entries.getEntriesByName('first-contentful-paint')[0];
        if (!entry) return;
        observer.disconnect();
        resolve(entry.startTime);
      }).observe({ type: 'paint', buffered: true });
    })));
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
console.log(JSON.stringify({ loads: LOADS, questionVisibleMsMedian: Math.round(median(visible)), firstContentfulPaintMsMedian: Math.round(median(paint)) }));
