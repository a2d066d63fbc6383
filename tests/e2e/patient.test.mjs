// The patient's experience on the trial website page, on a 360-px phone:
// a whole screening with the keyboard alone, the kind stop, the language
// switch, and the privacy guarantees (no request after load, nothing stored).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AS_OF, assertAccessible, focused, orientationLocks, setAsOf, storedState, useDemo, widgetReady } from './support.mjs';

const PHONE = { width: 360, height: 740 };

const demo = useDemo();

// The answers of an eligible man, by the controls' keys (`field:choice`);
// every other yes/no question is answered "no".
const ELIGIBLE = {
  age: { type: '45' },
  weight: { type: '70' },
  sex: 'o1',
  malignancy: 'o0',
  immunosuppressant_last_dose: 'none',
  live_vaccine_date: 'none',
  major_surgery_date: 'none',
  last_trial_date: 'none',
  agrees_contraception: 'yes',
  agrees_follow_up: 'yes',
  informed_consent: 'yes',
};

// Answers the questions of one step with Tab, arrows, Space and typing, then
// presses Enter on "Continue". Returns the fields it answered.
async function answerStepByKeyboard(page, plan) {
  const answered = [];
  for (let presses = 0; presses < 120; presses += 1) {
    await page.keyboard.press('Tab');
    const active = await focused(page);
    if (active?.key === 'continue') {
      await page.keyboard.press('Enter');
      return answered;
    }
    if (!active?.key?.includes(':')) continue;
    const [field, part] = active.key.split(':');
    if (answered.includes(field)) continue;
    const wanted = plan[field] ?? 'no';
    if (typeof wanted === 'object') {
      if (part === 'value') {
        await page.keyboard.type(wanted.type);
        answered.push(field);
      }
      continue;
    }
    let key = active.key;
    for (let moves = 0; moves < 10 && key !== `${field}:${wanted}`; moves += 1) {
      await page.keyboard.press('ArrowRight');
      key = (await focused(page)).key;
    }
    assert.equal(key, `${field}:${wanted}`, `the arrow keys reach ${field}'s choice`);
    await page.keyboard.press('Space');
    answered.push(field);
  }
  throw new Error('the Continue button was never reached with Tab');
}

const OWN_FILES = /^\/(|index\.html|site\.css|site\.js|favicon\.svg|web\/[\w/.-]+\.(js|css)|wasm\/trialscreen(-core)?\.(js|mjs|wasm)|bh002\/trial\.json)$/;

test('a whole screening with the keyboard alone ends with "the study team decides", with no request after load and nothing stored', async () => {
  const guarded = await demo.open({ viewport: PHONE });
  const { page } = guarded;
  await page.goto(`${demo.origin}/`);
  await widgetReady(page);
  await setAsOf(page);

  for (const url of guarded.requests) {
    assert.equal(new URL(url).origin, demo.origin);
    assert.match(new URL(url).pathname, OWN_FILES, `only the page's and the widget's own files load: ${url}`);
  }
  const paths = guarded.requests.map((url) => new URL(url).pathname);
  assert.deepEqual(paths.filter((path, index) => paths.indexOf(path) !== index), [],
    'each file loads once: the widget reuses what the page preloads');
  const loaded = guarded.requests.length;
  await assertAccessible(assert, page, 'patient page, first step');
  assert.deepEqual(orientationLocks(['web/trial-screener.css', 'examples/site/public/site.css']), [],
    'no orientation lock (WCAG 1.3.4; axe runs without its CSSOM preload under the CSP)');

  const sections = [];
  for (let steps = 0; steps < 12; steps += 1) {
    const heading = await focused(page);
    if (heading.id === 'outcome-title') break;
    if (steps > 0) assert.equal(heading.id, 'step-title', 'each new section receives the focus');
    sections.push(await page.locator('trial-screener h3#step-title').textContent());
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= PHONE.width, `nothing overflows a 360-px screen (scrollWidth ${scrollWidth})`);
    if (steps > 0) await assertAccessible(assert, page, `patient step "${sections.at(-1)}"`);
    await answerStepByKeyboard(page, ELIGIBLE);
  }
  assert.deepEqual(sections, ['About you', 'Other health conditions', 'Medicines, vaccines and operations', 'Pregnancy and family plans', 'Taking part']);

  const outcome = page.getByRole('region', { name: 'Screening result' });
  assert.equal(await outcome.getByRole('heading').first().textContent(), 'You may be eligible; the study team decides');
  assert.equal((await focused(page)).id, 'outcome-title', 'the outcome receives the focus');
  assert.equal(await outcome.getAttribute('aria-live'), 'polite');
  await outcome.getByText('Nothing in your answers rules this study out. The study team makes the decision after checking the points below.').waitFor();
  await outcome.getByText('What the study team will still check:').waitFor();
  const deferred = await outcome.locator('ul.deferred > li').allTextContents();
  assert.ok(deferred.includes('Lupus confirmed by the standard classification (10 points or more)'), deferred.join(' | '));
  assert.ok(deferred.length >= 10, `the site's criteria are listed (${deferred.length})`);
  await assertAccessible(assert, page, 'patient outcome: may be eligible');

  const result = await page.locator('trial-screener').evaluate((element) => element.result);
  assert.equal(result.verdict, 'eligible');
  assert.ok(result.criteria.every((c) => c.status !== 'fail' && c.status !== 'unknown'));

  assert.deepEqual(guarded.requests.slice(loaded), [], 'no request at all while screening');
  assert.deepEqual(await storedState(page), { cookie: '', localStorage: 0, sessionStorage: 0, indexedDB: [], caches: [] });
  guarded.assertClean(assert);
  await guarded.context.close();
});

test('stops kindly as soon as a section rules the study out, saying why and from when it may clear', async () => {
  const guarded = await demo.open({ viewport: PHONE });
  const { page } = guarded;
  await page.goto(`${demo.origin}/`);
  await widgetReady(page);
  await setAsOf(page);
  const widget = page.locator('trial-screener');
  await widget.evaluate((element) => {
    element.answers = {
      age: 45, sex: 'male', weight: 70, hemodialysis: false, cns_disease: false, psychiatric_depression_or_suicidal: false,
      serious_organ_disease: false, immunodeficiency: false, uncontrolled_infection: false, peptic_ulcer: false, hiv: false,
      hbv_active: false, hcv_active: false, syphilis: false, severe_allergy: false, drainage_tube: false, malignancy: 'none',
    };
  });
  await page.getByRole('heading', { name: 'Medicines, vaccines and operations' }).waitFor();

  const vaccine = page.getByRole('group', { name: 'When did you last have a live vaccine?' });
  await vaccine.getByRole('radio', { name: 'On this date' }).check();
  await vaccine.getByRole('textbox', { name: /Date/ }).fill('2026-11-01');
  await page.getByRole('button', { name: 'Continue' }).click();

  const outcome = page.getByRole('region', { name: 'Screening result' });
  await outcome.getByRole('heading', { name: 'Thank you for your answers' }).waitFor();
  await outcome.getByText('You may be able to take part from 29 November 2026.').waitFor();
  assert.equal(await outcome.locator('li[data-criterion="E09"]').count(), 1, 'the live-vaccine window is the reason');
  assert.ok(!/\beligible\b/i.test(await outcome.textContent()), 'the word "eligible" is never used when stopping');
  assert.equal((await focused(page)).id, 'outcome-title');
  await assertAccessible(assert, page, 'patient outcome: not eligible');

  await page.getByRole('combobox', { name: /Language/ }).selectOption('zh-Hans');
  await page.getByRole('region', { name: '筛查结果' }).getByText('您可能从2026年11月29日起可以参加。').waitFor();
  await page.getByRole('heading', { name: '感谢您的回答' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-Hans', 'the page follows the widget');
  await assertAccessible(assert, page, 'patient outcome in Chinese');

  await page.getByRole('button', { name: '修改我的回答' }).click();
  await page.getByRole('heading', { name: '用药、疫苗和手术' }).waitFor();
  assert.equal(await page.getByRole('textbox', { name: /日期/ }).first().inputValue(), '2026-11-01', 'the answer is kept');
  guarded.assertClean(assert);
  await guarded.context.close();
});

test('only questions that can still matter are asked, and switching language keeps answers and focus', async () => {
  const guarded = await demo.open({ viewport: PHONE });
  const { page } = guarded;
  await page.addInitScript(() => {
    window.languageChanges = [];
    document.addEventListener('language-change', (event) => window.languageChanges.push(event.detail.lang));
  });
  await page.goto(`${demo.origin}/`);
  await widgetReady(page);
  await setAsOf(page);
  assert.deepEqual(await page.evaluate(() => window.languageChanges), [], 'the language the page starts with is no switch');

  const groups = page.locator('trial-screener fieldset.question');
  const fields = async () => groups.evaluateAll((nodes) => nodes.filter((n) => n.checkVisibility()).map((n) => n.dataset.field));
  assert.ok(!(await fields()).includes('childbearing_potential'), 'not asked before the answer to sex');
  await page.getByRole('radio', { name: 'Female', exact: true }).check();
  await page.getByRole('group', { name: /Could you become pregnant\?/ }).waitFor();
  assert.ok((await fields()).includes('childbearing_potential'), 'asked once sex is female');
  await page.getByRole('radio', { name: 'Male', exact: true }).check();
  await page.locator('[data-field="childbearing_potential"]').waitFor({ state: 'detached' });

  await page.getByRole('textbox', { name: /How old are you/ }).fill('45');
  const language = page.getByRole('combobox', { name: /Language/ });
  await language.focus();
  await language.selectOption('zh-Hans');
  await page.getByRole('heading', { name: '关于您' }).waitFor();
  assert.equal(await page.getByRole('textbox', { name: /您今年多大年龄/ }).inputValue(), '45');
  assert.ok(await page.getByRole('radio', { name: '男' }).isChecked());
  assert.equal((await focused(page)).key, 'language', 'the focus stays on the language switch');
  await assertAccessible(assert, page, 'patient step in Chinese');
  await language.selectOption('en');
  await page.getByRole('heading', { name: 'About you' }).waitFor();
  assert.equal(await page.getByRole('textbox', { name: /How old are you/ }).inputValue(), '45');
  assert.deepEqual(await page.evaluate(() => window.languageChanges), ['zh-Hans', 'en'], 'each switch is announced once');

  // "Back" returns to the section with its answers.
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Back' }).click();
  await page.getByRole('heading', { name: 'About you' }).waitFor();
  assert.equal(await page.getByRole('textbox', { name: /How old are you/ }).inputValue(), '45');
  assert.equal(AS_OF, await page.locator('trial-screener').getAttribute('as-of'));

  // "Start over" forgets everything, at any step.
  await page.getByRole('button', { name: 'Start over' }).click();
  assert.equal(await page.getByRole('textbox', { name: /How old are you/ }).inputValue(), '');
  assert.deepEqual(await page.locator('trial-screener').evaluate((element) => element.answers), {});
  assert.equal((await focused(page)).id, 'title', 'the focus goes back to the top of the questionnaire');
  guarded.assertClean(assert);
  await guarded.context.close();
});
