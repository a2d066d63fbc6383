// When an evaluation fails, the widget says so clearly, keeps every answer and
// the form, and recovers on the next change: the page never goes blank. The
// failure is injected the way a broken core would surface it: the shared
// screener's evaluate (the page's own copy of wasm/trialscreen.js, the module
// the widget imported) starts throwing an InputError, and later stops.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setAsOf, useDemo, widgetReady } from './support.mjs';

const demo = useDemo();

// Makes every screener's evaluate throw (true) or work again (false). The
// method lives on the wrapper's Screener prototype, shared by the widget's
// screener because ES modules are instantiated once per page.
async function breakEvaluation(page, broken) {
  await page.evaluate(async (broken) => {
    const wrapper = await import('/wasm/trialscreen.js');
    if (!window.__screenerPrototype) {
      const trial = await (await fetch('/bh002/trial.json')).text();
      const probe = await wrapper.loadScreener(trial);
      window.__screenerPrototype = Object.getPrototypeOf(probe);
      window.__workingEvaluate = window.__screenerPrototype.evaluate;
      probe.dispose();
    }
    window.__screenerPrototype.evaluate = broken
      ? () => { throw new wrapper.InputError({ code: 'answers.json.001', path: '', message: 'injected failure' }); }
      : window.__workingEvaluate;
  }, broken);
}

const alertText = (page) => page.locator('trial-screener p.eval-error').textContent();

test('a failing evaluation shows a clear message, keeps every answer and the form, and recovers', async () => {
  const guarded = await demo.open({ viewport: { width: 1280, height: 900 } });
  const { page } = guarded;
  const errors = [];
  await page.goto(`${demo.origin}/physician.html`);
  await widgetReady(page);
  await setAsOf(page);
  await page.locator('trial-screener').evaluate((element) => {
    element.addEventListener('screening-error', (event) => { window.__screeningErrors = [...(window.__screeningErrors ?? []), event.detail]; });
  });

  const age = page.getByRole('textbox', { name: /^Age/ });
  const hemoglobin = page.getByRole('group', { name: 'Hemoglobin' }).getByRole('textbox');
  await age.fill('45');
  await hemoglobin.fill('120');
  const before = await page.locator('trial-screener').evaluate((element) => element.answers);
  assert.equal(before.age, 45);
  assert.equal(await alertText(page), '', 'no message while evaluation works');

  await breakEvaluation(page, true);
  await hemoglobin.fill('121');
  await page.locator('trial-screener p.eval-error').filter({ hasText: /Something went wrong/ }).waitFor();
  assert.match(await alertText(page), /Your answers are kept/);
  assert.equal(await page.locator('trial-screener p.eval-error').getAttribute('role'), 'alert');

  // Every answer is kept, in memory and on screen, and the form is all there.
  const during = await page.locator('trial-screener').evaluate((element) => element.answers);
  assert.equal(during.age, 45);
  assert.ok(JSON.stringify(during).includes('121'), `the answer typed during the failure is kept: ${JSON.stringify(during)}`);
  assert.equal(await age.inputValue(), '45');
  assert.equal(await hemoglobin.inputValue(), '121');
  assert.equal(await page.locator('trial-screener .widget').getAttribute('data-state'), 'ready');
  assert.ok(await page.locator('trial-screener li[data-criterion]').count() >= 30, 'the checklist is still shown');
  errors.push(...await page.evaluate(() => window.__screeningErrors ?? []));
  assert.ok(errors.some((e) => e.code === 'answers.json.001'), 'screening-error names the code');

  // The next change after the core works again clears the message and counts every answer.
  await breakEvaluation(page, false);
  await age.fill('17');
  await page.locator('trial-screener li[data-criterion="I01"] .status').filter({ hasText: /^Not met$|^Does not meet$|^Fails$/ }).waitFor();
  assert.equal(await alertText(page), '');
  const afterRecovery = await page.locator('trial-screener').evaluate((element) => element.answers);
  assert.equal(afterRecovery.age, 17);
  assert.equal(JSON.stringify(afterRecovery.hemoglobin), JSON.stringify(during.hemoglobin));
  guarded.assertClean(assert);
  await guarded.context.close();
});
