#!/usr/bin/env node
// The browser side of bench/run, in Debian's headless Chromium against the
// demo server (the e2e harness). Prints one JSON object on stdout:
//   payload   every response of the patient page until the first question shows, each body gzip -9
//   startUp   navigation start to the first question visible, fresh context (no cache) per load,
//             with the median time at which each step of the load ended
//   perAnswer one full BH002 re-evaluation through the JS API in the page (median, CPU-bound loop)
// Usage: node bench/browser.mjs DATA_DIR [LOADS]   (TRIALSCREEN_DIST as for the e2e tests)
import { gzipSync } from 'node:zlib';
import { openSync, readSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, startServer } from '../tests/e2e/support.mjs';

const [dataDir, loadsArg] = process.argv.slice(2);
const LOADS = Number(loadsArg ?? 20);
const AS_OF = '2026-11-25';
const QUESTION = 'trial-screener fieldset.question';

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// Records performance.now() (ms since navigation start) when the first
// question of the widget has a box on screen, looking into its shadow root,
// and says so on the console. The harness waits for that message rather than
// polling with page.waitForFunction: Playwright would evaluate its injected
// script (tens of ms of parsing on the page's main thread) in the middle of
// the load it measures.
const SHOWN = 'trial-screener-bench:first-question-visible';
function watchFirstQuestion(message) {
  const look = () => {
    const host = document.querySelector('trial-screener');
    const question = host?.shadowRoot?.querySelector('fieldset.question');
    if (question && question.getClientRects().length > 0) {
      window.__firstQuestionMs = performance.now();
      console.debug(message);
      return;
    }
    requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
}

async function payload(browser, origin) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const bodies = [];
  page.on('response', (response) => {
    bodies.push(response.body().then((body) => ({ url: response.url(), status: response.status(), body }), () => null));
  });
  await page.goto(`${origin}/`);
  await page.locator(QUESTION).first().waitFor();
  await page.waitForLoadState('networkidle');
  const files = (await Promise.all(bodies)).filter(Boolean).map(({ url, status, body }) => ({
    path: new URL(url).pathname,
    status,
    bytes: body.length,
    gzipBytes: gzipSync(body, { level: 9 }).length,
  }));
  await context.close();
  files.sort((a, b) => b.gzipBytes - a.gzipBytes);
  return { files, totalBytes: files.reduce((s, f) => s + f.bytes, 0), totalGzipBytes: files.reduce((s, f) => s + f.gzipBytes, 0) };
}

// When each step of a load ended, in ms since navigation start: the files
// (responseEnd) and the widget's User Timing marks (web/trial-screener.js).
function loadSteps() {
  const ended = (pattern) => performance.getEntriesByType('resource').find((e) => pattern.test(e.name))?.responseEnd;
  const marked = (step) => performance.getEntriesByName(`trial-screener:${step}`)[0]?.startTime;
  const paint = performance.getEntriesByName('first-contentful-paint')[0]?.startTime;
  return {
    'page shown (first contentful paint)': paint,
    'page parsed (DOMContentLoaded)': performance.getEntriesByType('navigation')[0]?.domContentLoadedEventStart,
    'modules downloaded': Math.max(...performance.getEntriesByType('resource').filter((e) => /\.m?js$/.test(e.name)).map((e) => e.responseEnd)),
    'trial file downloaded': ended(/trial\.json$/),
    'WebAssembly downloaded': ended(/\.wasm$/),
    'trial text read': marked('trial-downloaded'),
    'engine instantiated': marked('engine-ready'),
    'trial session created': marked('session-ready'),
    'ask-if rules compiled': marked('rules-compiled'),
    'first render done': marked('first-render'),
  };
}

async function startUp(browser, origin) {
  const times = [];
  const steps = [];
  for (let i = 0; i < LOADS; ++i) {
    const context = await browser.newContext();
    await context.addInitScript(watchFirstQuestion, SHOWN);
    const page = await context.newPage();
    const shown = page.waitForEvent('console', { predicate: (message) => message.text() === SHOWN, timeout: 60_000 });
    await page.goto(`${origin}/`, { waitUntil: 'commit' });
    await shown;
    times.push(await page.evaluate(() => window.__firstQuestionMs));
    steps.push(await page.evaluate(loadSteps));
    await context.close();
  }
  const stepMedians = Object.fromEntries(Object.keys(steps[0]).map((name) => [name, median(steps.map((s) => s[name]))]));
  return { loads: times.length, msMedian: median(times), msMin: Math.min(...times), msMax: Math.max(...times), stepMedians };
}

function sampleAnswers(count) {
  const buffer = Buffer.alloc(1 << 20);
  const fd = openSync(join(dataDir, 'referrals.jsonl'), 'r');
  const size = readSync(fd, buffer, 0, buffer.length, 0);
  closeSync(fd);
  return buffer.subarray(0, size).toString('utf8').split('\n').slice(0, count).map((line) => {
    const record = JSON.parse(line);
    delete record.id;
    return record;
  });
}

async function perAnswer(browser, origin) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${origin}/`);
  await page.locator(QUESTION).first().waitFor();
  const result = await page.evaluate(async ({ answers, asOf }) => {
    const { loadScreener } = await import('/wasm/trialscreen.js');
    const screener = await loadScreener(await (await fetch('/bh002/trial.json')).text());
    const options = { asOf, audience: 'patient', lang: 'en' };
    screener.evaluate(answers[0], options);
    // Rounds of 20 evaluations; the page's clock is coarse, so time rounds, not calls.
    const rounds = [];
    let next = 0;
    const until = performance.now() + 3000;
    while (performance.now() < until || rounds.length < 5) {
      const start = performance.now();
      for (let k = 0; k < 20; ++k) screener.evaluate(answers[next++ % answers.length], options);
      rounds.push(((performance.now() - start) * 1000) / 20);
    }
    screener.dispose();
    rounds.sort((a, b) => a - b);
    return { evaluations: next, usMedian: rounds[Math.floor(rounds.length / 2)] };
  }, { answers: sampleAnswers(200), asOf: AS_OF });
  await context.close();
  return result;
}

const server = await startServer();
const browser = await launchBrowser();
try {
  const out = {
    payload: await payload(browser, server.origin),
    startUp: await startUp(browser, server.origin),
    perAnswer: await perAnswer(browser, server.origin),
  };
  console.log(JSON.stringify(out));
} finally {
  await browser.close();
  await server.close();
}
