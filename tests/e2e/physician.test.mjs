// The physician's referral page: the live checklist with protocol lines, lab
// entry with accepted units and unit-slip hints, scores as a total or item by
// item, the printable summary, "download JSON" and "start over".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { AS_OF, assertAccessible, setAsOf, storedState, useDemo, widgetReady } from './support.mjs';

const trial = JSON.parse(await readFile(new URL('../../examples/bh002/trial.json', import.meta.url), 'utf8'));

const demo = useDemo();

async function openPhysicianPage() {
  const guarded = await demo.open({ viewport: { width: 1280, height: 900 } });
  await guarded.page.goto(`${demo.origin}/physician.html`);
  await widgetReady(guarded.page);
  await setAsOf(guarded.page);
  return guarded;
}

const criterion = (page, id) => page.locator(`trial-screener li[data-criterion="${id}"]`);
async function statusOf(page, id, expected) {
  const status = criterion(page, id).locator('.status');
  await status.filter({ hasText: new RegExp(`^${expected}$`) }).waitFor();
  return status.textContent();
}

test('every criterion is a checklist item with its live status and protocol line; lab units and slips', async () => {
  const guarded = await openPhysicianPage();
  const { page } = guarded;
  const loaded = guarded.requests.length;

  const items = page.getByRole('listitem').filter({ has: page.locator('.cid') });
  assert.equal(await items.count(), trial.criteria.length, 'all 34 criteria are listed');
  for (const { id, source } of trial.criteria) {
    assert.equal(await criterion(page, id).locator('.source q').textContent(), source, `${id} shows its protocol line`);
    assert.equal(await criterion(page, id).locator('.source q').getAttribute('lang'), trial.sourceLanguage, `${id}'s quote is marked with the protocol's language`);
  }
  assert.equal(await page.getByRole('status').filter({ hasText: 'Not decided yet' }).count(), 1, 'the verdict is a live status');
  await assertAccessible(assert, page, 'physician page, empty');

  // Hemoglobin: only its accepted units, and a hint naming the likely slip.
  const hemoglobin = page.getByRole('group', { name: 'Hemoglobin' });
  const unit = hemoglobin.getByRole('combobox', { name: /Unit/ });
  assert.deepEqual(await unit.locator('option').allTextContents(), ['g/L', 'g/dL']);
  const wbcUnits = await page.getByRole('group', { name: /White blood cell count/ }).getByRole('combobox').locator('option').allTextContents();
  assert.deepEqual(wbcUnits, ['×10⁹/L', '×10³/µL', '/µL']);
  const value = hemoglobin.getByRole('textbox', { name: 'Hemoglobin' });
  await value.fill('8.5');
  await hemoglobin.getByText('Did you mean g/dL?').waitFor();
  assert.equal(await value.getAttribute('aria-invalid'), 'true');
  const description = await value.evaluate((input) => input.getAttribute('aria-describedby').split(' ')
    .map((id) => input.getRootNode().getElementById(id)?.textContent ?? '').join(' '));
  assert.match(description, /not plausible: expected 20 to 250 g\/L\..*Did you mean g\/dL\?/, 'the error is tied to the input');
  await statusOf(page, 'I05', 'Not known yet');
  await assertAccessible(assert, page, 'physician page with a unit hint');
  await hemoglobin.getByRole('button', { name: 'Use g/dL' }).click();
  assert.equal(await unit.inputValue(), 'g/dL');
  await statusOf(page, 'I05', 'Meets');
  assert.equal(await value.getAttribute('aria-invalid'), 'false');
  assert.match(await criterion(page, 'I05').locator('.values').textContent(), /Hemoglobin: 8\.5 g\/dL/);

  // Creatinine in µmol/L decides E01 at 221 µmol/L = 2.5 mg/dL exactly (not > 2.5).
  const creatinine = page.getByRole('group', { name: /^Serum creatinine/ });
  await creatinine.getByRole('combobox', { name: /Unit/ }).selectOption('umol/L');
  await creatinine.getByRole('textbox').fill('221');
  await page.getByRole('group', { name: /dialysis/i }).getByRole('radio', { name: 'No', exact: true }).check();
  await statusOf(page, 'E01', 'Not excluded');
  await creatinine.getByRole('textbox').fill('222');
  await statusOf(page, 'E01', 'Excludes');

  assert.deepEqual(guarded.requests.slice(loaded), [], 'no request while screening');
  assert.deepEqual(await storedState(page), { cookie: '', localStorage: 0, sessionStorage: 0, indexedDB: [], caches: [] });
  guarded.assertClean(assert);
  await guarded.context.close();
});

test('SLEDAI as a total or item by item, with the running score', async () => {
  const guarded = await openPhysicianPage();
  const { page } = guarded;
  const mode = page.getByRole('group', { name: 'How to enter SELENA-SLEDAI score' });
  const total = page.getByRole('textbox', { name: /SELENA-SLEDAI/ });
  await total.fill('10');
  await statusOf(page, 'I03', 'Meets');
  await page.locator('trial-screener p.running').filter({ hasText: 'SELENA-SLEDAI score: 10 points' }).waitFor();

  await mode.getByRole('radio', { name: 'Item by item' }).check();
  assert.equal(await total.count(), 0, 'the total is hidden when entering item by item');
  await statusOf(page, 'I03', 'Not known yet');
  const item = (name) => page.getByRole('group', { name }).getByRole('radio', { name: 'Yes', exact: true });
  await item(/^SELENA-SLEDAI: Arthritis/).check();
  await page.locator('trial-screener p.running').filter({ hasText: 'SELENA-SLEDAI score: at least 4 points' }).waitFor();
  await item(/^SELENA-SLEDAI: Rash/).check();
  await item(/^SELENA-SLEDAI: Low complement/).check();
  await statusOf(page, 'I03', 'Meets');
  await page.locator('trial-screener p.running').filter({ hasText: 'at least 8 points' }).waitFor();
  await assertAccessible(assert, page, 'SLEDAI item by item');

  // Back to the total: the typed total counts again, the items are kept aside.
  await mode.getByRole('radio', { name: 'As a total' }).check();
  assert.equal(await total.inputValue(), '10');
  const answers = await page.locator('trial-screener').evaluate((element) => element.answers);
  assert.equal(answers.sledai_score, 10);
  assert.equal(answers.sledai_arthritis, true);
  guarded.assertClean(assert);
  await guarded.context.close();
});

// The physician view is imported when first shown: a host that switches a
// loaded widget to it must get the whole view, scores included, under the CSP.
test('a patient widget switched to the physician view by its host keeps the answers and shows the checklist', async () => {
  const guarded = await demo.open({ viewport: { width: 1280, height: 900 } });
  const { page } = guarded;
  await page.goto(`${demo.origin}/`);
  await widgetReady(page);
  await setAsOf(page);
  await page.locator('trial-screener').evaluate((element) => {
    element.answers = { age: 45 };
    element.setAttribute('audience', 'physician');
  });
  await widgetReady(page);
  assert.equal(await statusOf(page, 'I01', 'Meets'), 'Meets');
  assert.equal(await page.getByRole('textbox', { name: /age/i }).inputValue(), '45');
  await page.getByRole('textbox', { name: /SELENA-SLEDAI/ }).fill('10');
  await page.locator('trial-screener p.running').filter({ hasText: 'SELENA-SLEDAI score: 10 points' }).waitFor();
  await statusOf(page, 'I03', 'Meets');
  guarded.assertClean(assert);
  await guarded.context.close();
});

test('the referral summary prints, the result downloads as JSON, and "start over" forgets everything', async () => {
  const guarded = await openPhysicianPage();
  const { page } = guarded;
  const widget = page.locator('trial-screener');
  await widget.evaluate((element) => {
    element.answers = { age: 45, sex: 'male', hemoglobin: { value: 8.5, unit: 'g/dL' }, live_vaccine_date: '2026-11-01' };
  });
  await statusOf(page, 'E09', 'Excludes');
  assert.match(await criterion(page, 'E09').locator('.clears').textContent(), /Passes from 29 November 2026/);
  await assertAccessible(assert, page, 'physician page, not eligible');

  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.getByRole('textbox', { name: /^Age/ }).isVisible(), false, 'the form is not printed');
  assert.equal(await page.getByRole('button', { name: 'Print referral summary' }).isVisible(), false);
  const summary = page.getByRole('region', { name: 'Referral summary' });
  assert.ok(await summary.isVisible());
  const printed = await summary.textContent();
  const { sha256 } = await widget.evaluate((element) => element.result.trial);
  assert.match(sha256, /^[0-9a-f]{64}$/);
  for (const expected of ['NCT06350110', trial.version, sha256, 'Screening date', '25 November 2026', 'Values: Hemoglobin: 8.5 g/dL', trial.criteria[0].source]) {
    assert.ok(printed.includes(expected), `the printed summary shows ${expected}`);
  }
  await page.emulateMedia({ media: 'screen' });

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download result (JSON)' }).click()]);
  assert.equal(download.suggestedFilename(), `NCT06350110-screening-${AS_OF}.json`);
  assert.match(download.url(), /^blob:/, 'the file is made in the page, not fetched');
  const saved = JSON.parse(await readFile(await download.path(), 'utf8'));
  assert.deepEqual(saved, await widget.evaluate((element) => element.result));
  assert.equal(saved.verdict, 'not_eligible');

  await page.getByRole('button', { name: 'Start over' }).click();
  assert.deepEqual(await widget.evaluate((element) => element.answers), {});
  assert.equal(await page.getByRole('textbox', { name: /^Age/ }).inputValue(), '');
  await statusOf(page, 'E09', 'Not known yet');
  await statusOf(page, 'I01', 'Not known yet');
  guarded.assertClean(assert);
  await guarded.context.close();
});

test('switching to Simplified Chinese keeps every answer; statuses, dates and numbers follow', async () => {
  const guarded = await openPhysicianPage();
  const { page } = guarded;
  await page.getByRole('textbox', { name: /^Age/ }).fill('45');
  await page.getByRole('group', { name: 'Hemoglobin' }).getByRole('textbox').fill('120');
  await page.getByRole('combobox', { name: /Language/ }).selectOption('zh-Hans');
  await page.getByRole('heading', { name: '转诊摘要' }).waitFor();
  assert.equal(await page.getByRole('textbox', { name: /年龄/ }).inputValue(), '45');
  assert.equal(await statusOf(page, 'I01', '符合'), '符合');
  assert.equal(await statusOf(page, 'I05', '符合'), '符合');
  await page.locator('trial-screener dd').filter({ hasText: '2026年11月25日' }).waitFor();
  assert.equal(await page.locator('trial-screener').getAttribute('lang'), 'zh-Hans');
  await assertAccessible(assert, page, 'physician page in Chinese');
  guarded.assertClean(assert);
  await guarded.context.close();
});
