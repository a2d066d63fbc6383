// The widget as partners embed it: the portal page and its iframe
// (postMessage only to the named parent origin), pre-filling through the
// `answers` property, the `screening-change` event, theming from any host
// page, the loading and failure states, and hostile trial texts kept inert.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parentOriginFrom } from '../../examples/site/public/embed-origin.js';
import { assertAccessible, useDemo, widgetReady } from './support.mjs';

const demo = useDemo();

test('the partner portal frames the screener and receives each result from it', async () => {
  const guarded = await demo.open();
  const { page } = guarded;
  await page.goto(`${demo.origin}/portal.html`);
  const frame = page.frameLocator('iframe[title="BH002 pre-screening questionnaire"]');
  await frame.locator('trial-screener .widget[data-state="ready"]').waitFor();
  const embed = guarded.requests.find((url) => url.includes('/embed.html'));
  assert.equal(new URL(embed).searchParams.get('parentOrigin'), demo.origin, 'the frame is told exactly one origin');

  const received = page.getByRole('status').filter({ hasText: 'Verdict' });
  await frame.getByRole('textbox', { name: /How old are you/ }).fill('45');
  await received.filter({ hasText: 'Verdict: incomplete' }).waitFor();
  await frame.getByRole('textbox', { name: /How old are you/ }).fill('17');
  await received.filter({ hasText: 'Verdict: not_eligible (not met: I01)' }).waitFor();

  await assertAccessible(assert, page, 'partner portal page');
  await assertAccessible(assert, page.frames().find((f) => f.url().includes('/embed.html')), 'the iframe page');
  guarded.assertClean(assert);
  await guarded.context.close();
});

// Records what the embed page posts (without delivering it: the page is not
// framed in this test, so it would post to itself).
async function postsFrom(query, { checkAccessibility = false } = {}) {
  const guarded = await demo.open({ allowConsole: [/no valid parentOrigin/] });
  const { page, context } = guarded;
  await context.addInitScript(() => {
    window.posted = [];
    window.postMessage = (message, targetOrigin) => {
      window.posted.push({ type: message?.type, verdict: message?.result?.verdict, targetOrigin });
    };
  });
  await page.goto(`${demo.origin}/embed.html${query}`);
  await widgetReady(page);
  await page.getByRole('textbox', { name: /How old are you/ }).fill('17');
  await page.locator('trial-screener').evaluate((element) => element.result.verdict === 'not_eligible');
  const posted = await page.evaluate(() => window.posted);
  if (checkAccessibility) await assertAccessible(assert, page, 'the iframe page on its own');
  guarded.assertClean(assert);
  await context.close();
  return posted;
}

test('the iframe page posts results only to the parent origin named in its address, never "*"', async () => {
  const posted = await postsFrom(`?parentOrigin=${encodeURIComponent('https://portal.example')}`, { checkAccessibility: true });
  assert.ok(posted.length >= 2, 'one message per change');
  for (const message of posted) {
    assert.equal(message.targetOrigin, 'https://portal.example');
    assert.equal(message.type, 'trialscreen:result');
  }
  assert.equal(posted.at(-1).verdict, 'not_eligible');

  for (const query of ['', '?parentOrigin=*', '?parentOrigin=javascript%3Aalert(1)']) {
    assert.deepEqual(await postsFrom(query), [], `nothing is posted for ${query || 'no parentOrigin'}`);
  }
});

test('only an exact http(s) origin is accepted as the parent origin', () => {
  assert.equal(parentOriginFrom('https://portal.example'), 'https://portal.example');
  assert.equal(parentOriginFrom('http://127.0.0.1:8080'), 'http://127.0.0.1:8080');
  for (const value of [null, '', '*', 'null', 'portal.example', 'https://portal.example/', 'https://portal.example/path',
    'https://portal.example?x=1', 'javascript:alert(1)', 'data:text/html,x', 'file:///etc', 'https://user@portal.example']) {
    assert.equal(parentOriginFrom(value), null, String(value));
  }
});

test('the answers property pre-fills, and screening-change carries the contract result', async () => {
  const guarded = await demo.open();
  const { page } = guarded;
  await page.goto(`${demo.origin}/physician.html`);
  await widgetReady(page);
  const widget = page.locator('trial-screener');
  await widget.evaluate((element) => {
    window.details = [];
    element.addEventListener('screening-change', (event) => window.details.push(event.detail));
    element.answers = { age: 45, hemoglobin: { value: 8.5, unit: 'g/dL' }, cns_disease: true };
  });
  assert.equal(await page.getByRole('textbox', { name: /^Age/ }).inputValue(), '45');
  const hemoglobin = page.getByRole('group', { name: 'Hemoglobin' });
  assert.equal(await hemoglobin.getByRole('textbox').inputValue(), '8.5');
  assert.equal(await hemoglobin.getByRole('combobox').inputValue(), 'g/dL');
  assert.ok(await page.getByRole('group', { name: /CNS disease|central nervous/i }).first().getByRole('radio', { name: 'Yes', exact: true }).isChecked());

  const detail = await page.evaluate(() => window.details.at(-1));
  assert.deepEqual(detail, await widget.evaluate((element) => element.result));
  assert.equal(detail.verdict, 'not_eligible');
  assert.deepEqual(Object.keys(detail).sort(), ['answerErrors', 'criteria', 'derived', 'engine', 'next', 'trial', 'verdict', 'warnings']);
  assert.equal(detail.criteria.find((c) => c.id === 'E02').status, 'fail');
  guarded.assertClean(assert);
  await guarded.context.close();
});

test('any host page can theme the widget through custom properties and ::part', async () => {
  const guarded = await demo.open();
  const { page } = guarded;
  await page.goto(`${demo.origin}/fixtures/themed.html`);
  await widgetReady(page);
  const style = (locator, property) => locator.evaluate((node, name) => getComputedStyle(node)[name], property);
  assert.equal(await style(page.getByRole('heading', { level: 2 }), 'color'), 'rgb(0, 90, 40)', '::part(title)');
  assert.equal(await style(page.getByRole('button', { name: 'Print referral summary' }), 'backgroundColor'), 'rgb(90, 30, 120)', '--ts-accent');
  assert.match(await style(page.getByRole('heading', { level: 2 }), 'fontFamily'), /serif/, '--ts-font');
  await assertAccessible(assert, page, 'a themed host page');
  guarded.assertClean(assert);
  await guarded.context.close();
});

test('a visible loading state, then a translated error when the trial file cannot load', async () => {
  const guarded = await demo.open({ allowConsole: [/Failed to load resource: the server responded with a status of 404/] });
  const { page } = guarded;
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route('**/bh002/trial.json', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(`${demo.origin}/`);
  await page.getByRole('status').filter({ hasText: 'Loading the questionnaire…' }).waitFor();
  await assertAccessible(assert, page, 'loading state');
  release();
  await widgetReady(page);
  await page.unroute('**/bh002/trial.json');

  await page.goto(`${demo.origin}/fixtures/missing.html`);
  await page.getByRole('alert').filter({ hasText: 'The questionnaire could not be loaded. Please reload the page or try again later.' }).waitFor();
  await page.getByRole('alert').filter({ hasText: '问卷无法加载。请刷新页面或稍后再试。' }).waitFor();
  await assertAccessible(assert, page, 'load error');
  guarded.assertClean(assert);
  await guarded.context.close();
});

test('a clear error when the WebAssembly module cannot load', async () => {
  const guarded = await demo.open({
    allowConsole: [/Failed to load resource/, /wasm/i, /Aborted/, /both async and sync fetching/i],
  });
  const { page } = guarded;
  await page.route('**/trialscreen-core.wasm', (route) => route.abort());
  await page.goto(`${demo.origin}/`);
  await page.getByRole('alert').filter({ hasText: 'The questionnaire could not be loaded.' }).waitFor();
  assert.deepEqual(guarded.problems.filter((p) => !/^page error: .*Aborted/.test(p)), []);
  await guarded.context.close();
});

test('a trial file whose texts carry HTML or script shows them as inert text', async () => {
  const guarded = await demo.open();
  const { page } = guarded;
  await page.goto(`${demo.origin}/fixtures/xss.html`);
  await widgetReady(page, 'trial-screener:not([id])');
  await widgetReady(page, 'trial-screener#patient');

  const physician = page.locator('trial-screener:not([id])');
  await physician.getByRole('heading', { name: 'Title <img src=x onerror=alert(1)>' }).waitFor();
  await physician.getByRole('listitem').filter({ hasText: /^I01 Label <img src=x onerror=alert\(1\)>/ }).waitFor();
  await physician.getByText('Source <script>alert(2)</script>').waitFor();
  await physician.getByText('1 <script>alert(2)</script>').waitFor();
  await physician.getByRole('group', { name: 'Choice <b onmouseover=alert(3)>bold</b>' })
    .getByRole('radio', { name: 'Option <img src=x onerror=alert(1)>' }).check();

  const patient = page.locator('trial-screener#patient');
  await patient.getByRole('heading', { name: 'Section <script>alert(2)</script>' }).waitFor();
  await patient.getByRole('group', { name: 'Question <img src=x onerror=alert(1)>' }).getByRole('radio', { name: 'No', exact: true }).check();
  await patient.getByRole('button', { name: 'Continue' }).click();
  await patient.getByText('Fails <img src=x onerror=alert(1)>').waitFor();

  const injected = await page.evaluate(() => [...document.querySelectorAll('trial-screener')]
    .flatMap((element) => [...element.shadowRoot.querySelectorAll('img, script, b, [onerror], [onmouseover]')].map((n) => n.outerHTML)));
  assert.deepEqual(injected, [], 'no element was made from trial text');
  assert.deepEqual(guarded.dialogs, [], 'no script ran');
  await assertAccessible(assert, page, 'hostile trial texts');
  guarded.assertClean(assert);
  await guarded.context.close();
});
