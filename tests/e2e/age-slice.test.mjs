// The slice end to end: a person types an age on the physician page and the
// widget shows I01's status live, under the demo's strict CSP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useDemo } from './support.mjs';

const demo = useDemo();

test('typing an age updates I01 live, with no CSP violation or foreign request', async () => {
  const guarded = await demo.open();
  const { page } = guarded;
  const response = await page.goto(`${demo.origin}/physician.html`);
  assert.match(response.headers()['content-security-policy'], /script-src 'self' 'wasm-unsafe-eval'/);

  const age = page.getByRole('textbox', { name: /age/i });
  const i01Status = page.getByRole('listitem').filter({ hasText: /^I01/ }).locator('.status');
  await age.fill('45');
  await assertText(i01Status, 'Meets');
  await age.fill('17');
  await assertText(i01Status, 'Does not meet');
  await age.fill('');
  await assertText(i01Status, 'Not known yet');

  const wasm = guarded.requests.filter((url) => url.endsWith('.wasm'));
  assert.equal(wasm.length, 1, 'the module is fetched once');
  const trialFiles = guarded.requests.filter((url) => url.endsWith('/bh002/trial.json'));
  assert.equal(trialFiles.length, 1, 'the trial file is fetched once');
  guarded.assertClean(assert);
  await guarded.context.close();
});

async function assertText(locator, text) {
  await locator.filter({ hasText: new RegExp(`^${text}$`) }).waitFor();
  assert.equal(await locator.textContent(), text);
}
