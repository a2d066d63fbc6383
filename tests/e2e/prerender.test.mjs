// The patient page as built (examples/site/prerender.mjs): its HTML holds the
// widget's first screen, which shows before any script runs, cannot be used
// until the widget is live (nothing typed or clicked there can be lost or
// sent), and is exactly what the live widget then shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prerenderPages } from '../../examples/site/prerender.mjs';
import { CONTENT_SECURITY_POLICY } from '../../examples/site/server.mjs';
import { FIXTURES, assertAccessible, storedState, useDemo, widgetReady } from './support.mjs';

const demo = useDemo();
const BUNDLE = '**/web/trial-screener.bundle.js';
const FIRST_QUESTION = 'How old are you?';

// Holds every request matching `pattern` until the returned function is called.
async function holdRequests(page, pattern) {
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  await page.route(pattern, async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

// The widget's shadow root as HTML, without what only marks a pre-rendered
// screen: its flags, its loading notice and state, the written-out selected option.
const shownScreen = (page) => page.locator('trial-screener').evaluate((host) => host.shadowRoot.innerHTML
  .replace(/<p class="notice loading".*?<\/p>/, '')
  .replace(/ data-prerendered=""| inert=""| aria-busy="true"| data-state="\w+"| selected=""/g, ''));

test('the patient page\'s HTML holds the first question, shown before the widget\'s script and inert until it runs', async () => {
  const html = await (await fetch(`${demo.origin}/`)).text();
  assert.match(html, /<trial-screener [^>]*><template shadowrootmode="open">/, 'a declarative shadow root in the page');
  assert.ok(html.includes(`<legend id="q-age-legend">${FIRST_QUESTION}</legend>`), 'the first question is in the HTML');
  assert.ok(!/<script/i.test(html.slice(html.indexOf('<template'), html.indexOf('</template>'))), 'no script in the pre-rendered screen');
  // Its first frame waits for no stylesheet: both are inline, as served.
  assert.doesNotMatch(html, /<link\b[^>]*\brel="stylesheet"|<link\b[^>]*\bas="style"/, 'no stylesheet link or preload');
  for (const path of ['/site.css', '/web/trial-screener.css']) {
    const text = await (await fetch(`${demo.origin}${path}`)).text();
    assert.ok(html.includes(`<style>${text}</style>`), `${path} inline, exactly as served`);
  }

  const guarded = await demo.open({ viewport: { width: 360, height: 740 } });
  const { page } = guarded;
  const releaseWidget = await holdRequests(page, BUNDLE);
  // (DOMContentLoaded waits for the held module script: only the commit.)
  await page.goto(`${demo.origin}/`, { waitUntil: 'commit' });

  const legend = page.locator('trial-screener fieldset.question legend').first();
  await legend.waitFor();
  assert.equal(await legend.textContent(), FIRST_QUESTION);
  const stylesheetRequests = guarded.requests.filter((url) => url.endsWith('.css'));
  assert.deepEqual(stylesheetRequests, [], 'no stylesheet fetched');
  // Styled by the inline stylesheet, which the policy allows (a blocked one
  // would leave the loading notice in sight and report a CSP violation).
  assert.deepEqual(await page.locator('trial-screener .widget > .loading').evaluate((notice) => {
    const { position, width } = getComputedStyle(notice);
    return { position, width };
  }), { position: 'absolute', width: '1px' }, 'the loading notice is hidden from sight, as the widget\'s stylesheet says');
  assert.equal(await page.locator('trial-screener .widget').getAttribute('data-state'), 'loading');
  await page.getByRole('status').filter({ hasText: 'Loading the questionnaire…' }).waitFor();
  assert.equal(await page.locator('trial-screener input[data-key="age:value"]').evaluate((input) => {
    input.focus();
    return input.getRootNode().activeElement === input;
  }), false, 'the pre-rendered field cannot take the focus (it is inert, so out of the accessibility tree too)');
  await assertAccessible(assert, page, 'pre-rendered first screen');
  const prerendered = await shownScreen(page);

  // Click into the age field and type, then click "Continue": nothing takes
  // the input and nothing is submitted.
  const requestsBefore = guarded.requests.length;
  const age = await page.locator('trial-screener input[data-key="age:value"]').boundingBox();
  await page.mouse.click(age.x + age.width / 2, age.y + age.height / 2);
  await page.keyboard.type('45');
  assert.equal(await page.locator('trial-screener input[data-key="age:value"]').inputValue(), '', 'the pre-rendered field takes no typing');
  const next = await page.locator('trial-screener button[data-key="continue"]').boundingBox();
  await page.mouse.click(next.x + next.width / 2, next.y + next.height / 2);
  assert.equal(new URL(page.url()).search, '', 'no form was submitted');
  assert.deepEqual(guarded.requests.slice(requestsBefore), [], 'no request from the pre-rendered screen');

  releaseWidget();
  await widgetReady(page);
  assert.equal(await shownScreen(page), prerendered, 'the live widget shows exactly the pre-rendered screen');
  assert.deepEqual(guarded.requests.filter((url) => url.endsWith('.css')), [], 'nor once live: the inline stylesheet serves the widget');
  const ageBox = page.getByRole('textbox', { name: FIRST_QUESTION });
  await ageBox.fill('45');
  assert.equal(await ageBox.inputValue(), '45', 'the live field takes the answer');
  await assertAccessible(assert, page, 'patient page after the pre-rendered screen went live');
  assert.deepEqual(await storedState(page), { cookie: '', localStorage: 0, sessionStorage: 0, indexedDB: [], caches: [] });
  guarded.assertClean(assert);
  await guarded.context.close();
});

test('each stylesheet is served compacted, with the same rules as its source in Chromium\'s own reading', async () => {
  const guarded = await demo.open();
  const { page } = guarded;
  await page.goto(`${demo.origin}/`);
  for (const [path, source] of [['/site.css', 'examples/site/public/site.css'], ['/web/trial-screener.css', 'web/trial-screener.css']]) {
    const written = await readFile(new URL(`../../${source}`, import.meta.url), 'utf8');
    const served = await (await fetch(`${demo.origin}${path}`)).text();
    assert.ok(served.length < written.length, `${path}: ${served.length} of ${written.length} characters`);
    // The browser parses both texts into rule objects and writes each rule
    // out in its canonical form: the lists must be the same, rule for rule.
    const [fromSource, fromServed] = await page.evaluate((texts) => texts.map((text) => {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(text);
      return [...sheet.cssRules].map((rule) => rule.cssText);
    }), [written, served]);
    assert.ok(fromSource.length > 10, `${path}: ${fromSource.length} rules`);
    assert.deepEqual(fromServed, fromSource, path);
  }
  guarded.assertClean(assert);
  await guarded.context.close();
});

test('a page opened in Chinese drops the English pre-rendered screen as soon as the widget runs', async () => {
  const guarded = await demo.open();
  const { page } = guarded;
  const releaseModule = await holdRequests(page, '**/wasm/trialscreen-core.wasm');
  await page.goto(`${demo.origin}/?lang=zh-Hans`, { waitUntil: 'domcontentloaded' });
  await page.getByRole('status').filter({ hasText: '正在加载问卷…' }).waitFor();
  assert.equal(await page.getByText(FIRST_QUESTION).count(), 0, 'no English question while the Chinese one loads');
  releaseModule();
  await widgetReady(page);
  assert.equal(await page.locator('trial-screener fieldset.question legend').first().textContent(), '您今年多大年龄？');
  guarded.assertClean(assert);
  await guarded.context.close();
});

test('under a policy without the inline stylesheet\'s hash the violation is reported, and the widget links its stylesheet instead', async () => {
  const html = await (await fetch(`${demo.origin}/`)).text();
  const guarded = await demo.open({ allowConsole: [/Content Security Policy|CSP violation: style-src/] });
  const { page } = guarded;
  const violations = [];
  page.on('console', (message) => { if (/^CSP violation: style-src/.test(message.text())) violations.push(message.text()); });
  // The built page as a host would serve it with the plain policy (no hashes).
  await page.route(`${demo.origin}/`, (route) => route.fulfill({
    contentType: 'text/html; charset=utf-8', headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY }, body: html,
  }));
  await page.goto(`${demo.origin}/`);
  await widgetReady(page);
  assert.ok(violations.length >= 1, 'the blocked inline style is reported');
  assert.ok(guarded.requests.some((url) => url.endsWith('/web/trial-screener.css')), 'the stylesheet file is fetched instead');
  assert.equal(await page.getByRole('textbox', { name: FIRST_QUESTION }).evaluate((input) => getComputedStyle(input.closest('fieldset').querySelector('legend')).fontWeight), '600',
    'the question is styled by the widget\'s stylesheet');
  guarded.assertClean(assert);  // nothing else: no other console error, no request off the origin
  await guarded.context.close();
});

test('hostile trial texts pre-render as escaped text: no element is made from them, no script runs', async () => {
  const made = await mkdtemp(join(tmpdir(), 'trialscreen-prerender-'));
  try {
    const path = '/fixtures/xss-patient.html';
    await prerenderPages({ outDir: made, pages: [{ source: join(FIXTURES, 'xss-patient.html'), path }], mounts: [['/fixtures/', FIXTURES.replace(/\/$/, '')]] });
    const html = await readFile(join(made, 'xss-patient.html'), 'utf8');
    const screen = html.slice(html.indexOf('<template shadowrootmode="open">'), html.indexOf('</template>'));
    assert.ok(screen.includes('Section &lt;script&gt;alert(2)&lt;/script&gt;'), 'the section title, escaped');
    assert.ok(screen.includes('Question &lt;img src=x onerror=alert(1)&gt;'), 'the question, escaped');
    assert.doesNotMatch(screen, /<(img|script|b)\b|<[a-z][^>]*\son(error|mouseover)=/i, 'no element or attribute from the trial file');

    const guarded = await demo.open();
    const { page } = guarded;
    const releaseWidget = await holdRequests(page, '**/web/define.js');
    await page.route(`${demo.origin}${path}`, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: html }));
    await page.goto(`${demo.origin}${path}`, { waitUntil: 'commit' });
    await page.locator('trial-screener fieldset.question legend').first().waitFor();
    const injected = () => page.locator('trial-screener').evaluate((host) => [...host.shadowRoot.querySelectorAll('img, script, b, [onerror], [onmouseover]')].map((n) => n.outerHTML));
    assert.deepEqual(await injected(), [], 'no element was made from trial text in the pre-rendered screen');
    assert.equal(await page.locator('trial-screener fieldset.question legend').first().textContent(), 'Question <img src=x onerror=alert(1)>');
    releaseWidget();
    await widgetReady(page);
    assert.deepEqual(await injected(), [], 'nor once live');
    assert.deepEqual(guarded.dialogs, [], 'no script ran');
    guarded.assertClean(assert);
    await guarded.context.close();
  } finally {
    await rm(made, { recursive: true, force: true });
  }
});
