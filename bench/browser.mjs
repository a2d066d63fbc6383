#!/usr/bin/env node
// The browser side of bench/run, in Debian's headless Chromium against the
// demo server (the e2e harness). Prints one JSON object on stdout:
//   payload   every response of the patient page until the first question shows, each body gzip -9
//   startUp   navigation start to the first question visible, fresh context (no cache) per load,
//             and to the widget ready to take an answer (its screening-ready event),
//             with the median time at which each step of the load ended
//   perAnswer one full BH002 re-evaluation through the JS API in the page (median, CPU-bound loop):
//             200 referrals in turn (answers parsed from JSON text in the page), forms filled in
//             one answer at a time, and the 200 referrals' answers as Playwright hands them over
// Usage: node bench/browser.mjs DATA_DIR [LOADS]   (TRIALSCREEN_DIST as for the e2e tests)
//
// An interleaved start-up A/B of two versions of the pages and the widget:
//   node bench/browser.mjs --compare BEFORE_ROOT AFTER_ROOT [LOADS]
// where each root holds web/ and examples/site/ (a checkout, or
// `git archive COMMIT web examples | tar -x -C DIR`), each served by its own
// examples/site/server.mjs, so that a change to how the bundle is made is
// compared too (this tree's server for a root without one). Both use the
// WebAssembly build TRIALSCREEN_DIST, or each its own with
// TRIALSCREEN_DIST=BEFORE_DIST,AFTER_DIST (relative to the repository), to
// compare two builds of the module or its wrapper. Loads alternate
// before/after, after/before, ... in one browser; prints both start-ups and
// the median of the per-pair differences (after - before).
//
// Where the main thread's time goes during start-up, from Chrome traces:
//   node bench/browser.mjs --trace [LOADS] [TRACE_FILE]
// traces LOADS fresh-context loads of this tree's patient page and prints,
// for each step of the load (medians, ms): how long it took, how much of it
// the renderer's main thread was busy, and how much of that went to compiling
// WebAssembly functions at their first call (V8 compiles lazily: each one on
// the main thread) and to looking up fonts (a synchronous call to the browser
// process for each new family, size and weight laid out); also the
// background compile of the widget's bundle, which its evaluation waits for.
// Tracing slows the page down (the figures are larger than startUp's): read
// the shares, not the totals. TRACE_FILE keeps the last load's trace, for
// chrome://tracing or Perfetto.
import { gzipSync } from 'node:zlib';
import { existsSync, openSync, readSync, closeSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createDemoServer } from '../examples/site/server.mjs';
import { launchBrowser, startServer } from '../tests/e2e/support.mjs';
import { oneAnswerAtATime } from './forms.mjs';

const COMPARE = process.argv[2] === '--compare';
const TRACE = process.argv[2] === '--trace';
const [dataDir, loadsArg] = COMPARE ? [null, process.argv[5]] : TRACE ? [null, process.argv[3] ?? 5] : process.argv.slice(2);
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
// A page may show its first question pre-rendered (examples/site/prerender.mjs)
// before the widget can take an answer: the widget's `screening-ready` event
// marks when it can, and a load waits for both.
const SHOWN = 'trial-screener-bench:first-question-visible';
const READY = 'trial-screener-bench:widget-ready';
function watchFirstQuestion([message, readyMessage]) {
  document.addEventListener('screening-ready', () => {
    window.__readyMs = performance.now();
    console.debug(readyMessage);
  }, { once: true });
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
    'definition read (and the view rules compiled)': marked('rules-compiled'),
    'first render done': marked('first-render'),
  };
}

// The patient page loaded in a fresh browser context (no cache), until its
// first question shows; `beforeLoad(page)` runs just before the navigation.
async function loadUntilShown(browser, origin, beforeLoad = async () => {}) {
  const context = await browser.newContext();
  await context.addInitScript(watchFirstQuestion, [SHOWN, READY]);
  const page = await context.newPage();
  const said = (text) => page.waitForEvent('console', { predicate: (message) => message.text() === text, timeout: 60_000 });
  const [shown, ready] = [said(SHOWN), said(READY)];
  await beforeLoad(page);
  await page.goto(`${origin}/`, { waitUntil: 'commit' });
  await Promise.all([shown, ready]);
  return { context, page };
}

// One load: when the first question showed and when each step ended.
async function loadOnce(browser, origin) {
  const { context, page } = await loadUntilShown(browser, origin);
  const ms = await page.evaluate(() => window.__firstQuestionMs);
  const steps = { ...(await page.evaluate(loadSteps)), 'widget ready (screening-ready)': await page.evaluate(() => window.__readyMs) };
  await context.close();
  return { ms, steps };
}

function summary(loads) {
  const times = loads.map((load) => load.ms);
  const stepMedians = Object.fromEntries(Object.keys(loads[0].steps).map((name) => [name, median(loads.map((load) => load.steps[name]))]));
  return { loads: times.length, msMedian: median(times), msMin: Math.min(...times), msMax: Math.max(...times), stepMedians };
}

async function startUp(browser, origin) {
  const loads = [];
  for (let i = 0; i < LOADS; ++i) loads.push(await loadOnce(browser, origin));
  return summary(loads);
}

// A server for one version: its web/ and pages, its module build, the trial.
async function versionServer(root, distDir) {
  const repo = fileURLToPath(new URL('..', import.meta.url));
  const dist = resolve(repo, distDir);
  const ownServer = resolve(root, 'examples/site/server.mjs');
  const serverOf = existsSync(ownServer) ? (await import(pathToFileURL(ownServer).href)).createDemoServer : createDemoServer;
  // Its pre-rendered pages (build/site), if it made any, before their sources.
  const prerendered = resolve(root, 'build/site');
  const server = serverOf({ mounts: [
    ['/web/', resolve(root, 'web')], ['/wasm/', dist], ['/bh002/', join(repo, 'examples/bh002')],
    ...(existsSync(prerendered) ? [['/', prerendered]] : []), ['/', resolve(root, 'examples/site/public')],
  ] });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((done) => server.close(done)) };
}

async function compare(browser, beforeRoot, afterRoot) {
  const dists = (process.env.TRIALSCREEN_DIST ?? 'build/wasm-release/dist').split(',');
  const servers = { before: await versionServer(beforeRoot, dists[0]), after: await versionServer(afterRoot, dists.at(-1)) };
  const loads = { before: [], after: [] };
  try {
    for (let i = 0; i < LOADS; ++i) {
      for (const version of i % 2 ? ['after', 'before'] : ['before', 'after']) loads[version].push(await loadOnce(browser, servers[version].origin));
    }
  } finally {
    await servers.before.close();
    await servers.after.close();
  }
  const differences = loads.after.map((load, i) => load.ms - loads.before[i].ms);
  return {
    before: summary(loads.before),
    after: summary(loads.after),
    pairedMedianMs: median(differences),
    afterFasterIn: `${differences.filter((d) => d < 0).length} of ${differences.length}`,
  };
}

// ---- --trace ------------------------------------------------------------------

const TRACE_CATEGORIES = ['toplevel', 'devtools.timeline', 'blink.user_timing', 'v8.wasm', 'fonts'];
// The steps a traced load is cut into, in the order they end.
const TRACE_STEPS = ['modules downloaded', 'page parsed (DOMContentLoaded)', 'engine instantiated', 'trial session created',
  'definition read (and the view rules compiled)', 'first render done', 'first question visible'];

// One traced load: when each step ended and what the main thread did in it.
async function tracedLoad(browser, origin, keepTrace) {
  const { context, page } = await loadUntilShown(browser, origin, (traced) => browser.startTracing(traced, { categories: TRACE_CATEGORIES }));
  const steps = { ...(await page.evaluate(loadSteps)), 'first question visible': await page.evaluate(() => window.__firstQuestionMs) };
  const engineMark = await page.evaluate(() => performance.getEntriesByName('trial-screener:engine-ready')[0]?.startTime);
  const buffer = await browser.stopTracing();
  await context.close();
  if (keepTrace) writeFileSync(keepTrace, buffer);
  const events = JSON.parse(buffer.toString('utf8')).traceEvents;
  // The page's clock: a User Timing mark seen both in the page and in the trace.
  const marked = events.find((e) => e.name === 'trial-screener:engine-ready' && e.cat.includes('blink.user_timing'));
  const origin0 = marked.ts - engineMark * 1000;
  const ms = (ts) => (ts - origin0) / 1000;
  const threads = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === marked.pid);
  const main = threads.find((e) => e.args.name === 'CrRendererMain').tid;
  const complete = events.filter((e) => e.ph === 'X' && e.pid === marked.pid);
  const onMain = complete.filter((e) => e.tid === main);
  // Busy: the main thread's tasks, merged where they nest or overlap.
  const tasks = onMain.filter((e) => e.cat === 'toplevel').map((e) => [ms(e.ts), ms(e.ts + e.dur)]).sort((a, b) => a[0] - b[0]);
  const busy = [];
  for (const [start, end] of tasks) {
    if (busy.length && start <= busy.at(-1)[1]) busy.at(-1)[1] = Math.max(busy.at(-1)[1], end);
    else busy.push([start, end]);
  }
  const outermost = (name) => {
    const found = onMain.filter((e) => e.name === name);
    return found.filter((e) => !found.some((o) => o !== e && o.ts <= e.ts && o.ts + o.dur >= e.ts + e.dur)).map((e) => [ms(e.ts), e.dur / 1000]);
  };
  const lazyCompiles = outermost('wasm.CompileLazy');
  const fontLookups = outermost('FontCache::GetFontPlatformData');
  const within = (spans, from, to) => spans.filter(([start]) => start >= from && start < to);
  const sum = (spans) => spans.reduce((total, [, duration]) => total + duration, 0);
  const perStep = {};
  let from = 0;
  for (const step of TRACE_STEPS) {
    const to = steps[step];
    perStep[step] = {
      ms: to - from,
      mainThreadBusy: busy.reduce((total, [start, end]) => total + Math.max(0, Math.min(end, to) - Math.max(start, from)), 0),
      wasmLazyCompile: sum(within(lazyCompiles, from, to)),
      wasmFunctionsCompiled: within(lazyCompiles, from, to).length,
      fontLookups: sum(within(fontLookups, from, to)),
      fontLookupCount: within(fontLookups, from, to).length,
    };
    from = to;
  }
  const bundleCompile = complete.filter((e) => e.name === 'BackgroundJSStreamManager::RunScriptStreamingTask' && /bundle\.js$/.test(e.args?.url ?? ''));
  return { perStep, bundleBackgroundCompile: bundleCompile.reduce((total, e) => total + e.dur / 1000, 0) };
}

async function traceStartUp(browser, origin, keepTrace) {
  const loads = [];
  for (let i = 0; i < LOADS; ++i) loads.push(await tracedLoad(browser, origin, i === LOADS - 1 ? keepTrace : null));
  const round = (value) => Math.round(value * 10) / 10;
  const steps = Object.fromEntries(TRACE_STEPS.map((step) => [step, Object.fromEntries(Object.keys(loads[0].perStep[step])
    .map((key) => [key, round(median(loads.map((load) => load.perStep[step][key])))]))]));
  return { loads: LOADS, categories: TRACE_CATEGORIES, steps, bundleBackgroundCompileMs: round(median(loads.map((load) => load.bundleBackgroundCompile))) };
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
  const answers = sampleAnswers(200);
  // The answers go in as JSON text, parsed in the page, as Node's figure
  // (bench/node.mjs) parses them: objects Playwright builds from its
  // arguments are added to key by key, which V8 keeps past a dozen keys as
  // dictionaries, and JSON.stringify writes a dictionary of BH002's answers
  // about 4 µs slower ("Twenty-seventh session"). Those objects are timed too.
  const result = await page.evaluate(async ({ answersText, stepsText, answersAsPassed, asOf }) => {
    const answers = JSON.parse(answersText);
    const steps = JSON.parse(stepsText);
    const { loadScreener } = await import('/wasm/trialscreen.js');
    const screener = await loadScreener(await (await fetch('/bh002/trial.json')).text());
    const options = { asOf, audience: 'patient', lang: 'en' };
    screener.evaluate(answers[0], options);
    // Each answers object of `list` in turn for 3 s, in rounds of ROUND
    // evaluations: the page's clock counts in steps of 100 µs (no
    // cross-origin isolation), so time rounds, not calls: with rounds of
    // 1000 (five passes over the list) a median moves in steps of 0.1 µs (of
    // 0.5 µs with the 200 used before, too coarse for a figure at its goal).
    const ROUND = 1000;
    const timeRounds = (list) => {
      const rounds = [];
      let next = 0;
      const until = performance.now() + 3000;
      while (performance.now() < until || rounds.length < 5) {
        const start = performance.now();
        for (let k = 0; k < ROUND; ++k) screener.evaluate(list[next++ % list.length], options);
        rounds.push(((performance.now() - start) * 1000) / ROUND);
      }
      rounds.sort((x, y) => x - y);
      return { evaluations: next, usMedian: rounds[Math.floor(rounds.length / 2)] };
    };
    const referrals = timeRounds(answers);
    // Filling in the form, one answer at a time (bench/forms.mjs).
    const forms = timeRounds(steps);
    const dictionaries = timeRounds(answersAsPassed);
    screener.dispose();
    return {
      ...referrals,
      oneMoreAnswerEvaluations: forms.evaluations,
      oneMoreAnswerUs: forms.usMedian,
      dictionaryAnswersUs: dictionaries.usMedian,
    };
  }, { answersText: JSON.stringify(answers), stepsText: JSON.stringify(oneAnswerAtATime(answers)), answersAsPassed: answers, asOf: AS_OF });
  await context.close();
  return result;
}

if (TRACE) {
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    console.log(JSON.stringify(await traceStartUp(browser, server.origin, process.argv[4] ?? null), null, 1));
  } finally {
    await browser.close();
    await server.close();
  }
} else if (COMPARE) {
  const [beforeRoot, afterRoot] = process.argv.slice(3, 5);
  const browser = await launchBrowser();
  try {
    console.log(JSON.stringify(await compare(browser, beforeRoot, afterRoot)));
  } finally {
    await browser.close();
  }
} else {
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
}
