// The JsonLogic conformance suites through the WebAssembly build and the JS
// wrapper: compileLogic(rule).apply(data), one node:test per suite file, and
// the totals (1138 suite cases, 277 legacy cases) that must all pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importWrapper, readRepoFile } from './support.mjs';

const { compileLogic } = await importWrapper();
const dir = 'tests/conformance/jsonlogic';
const readJson = (path) => JSON.parse(readRepoFile(`${dir}/${path}`));

// Runs one case; returns null when it passes, else a description of the failure.
async function check({ rule, data, expectsError, expected }) {
  let rule_;
  let got;
  try {
    rule_ = await compileLogic(JSON.stringify(rule));  // a JS string would be read as JSON text
    got = { result: rule_.apply(data ?? null) };
  } catch (error) {
    if (error.name !== 'LogicError') throw error;
    got = { error: error.type };
  } finally {
    rule_?.dispose();
  }
  const ok = expectsError ? got.error === expected : 'result' in got && sameJson(got.result, expected);
  return ok ? null : `rule ${JSON.stringify(rule)} data ${JSON.stringify(data)}: expected ${expectsError ? 'error ' : ''}${JSON.stringify(expected)}, got ${JSON.stringify(got)}`;
}

function sameJson(a, b) {
  try {
    assert.deepStrictEqual(a, b);
    return true;
  } catch {
    return false;
  }
}

const files = readJson('suites/index.json');
let suitePassed = 0;
let suiteTotal = 0;

for (const file of files) {
  test(`suite ${file}`, async () => {
    const cases = readJson(`suites/${file}`).filter((entry) => typeof entry !== 'string');
    const failures = [];
    for (const c of cases) {
      const failure = await check({ rule: c.rule, data: c.data, expectsError: 'error' in c, expected: 'error' in c ? c.error.type : c.result });
      if (failure) failures.push(failure);
    }
    suiteTotal += cases.length;
    suitePassed += cases.length - failures.length;
    assert.deepEqual(failures, []);
  });
}

test('legacy-tests.json', async () => {
  const cases = readJson('legacy-tests.json').filter((entry) => typeof entry !== 'string');
  const failures = [];
  for (const [rule, data, expected] of cases) {
    const failure = await check({ rule, data, expectsError: false, expected });
    if (failure) failures.push(failure);
  }
  assert.equal(cases.length, 277);
  assert.deepEqual(failures, []);
});

test('every suite case passed: 1138 of 1138 in 48 files', () => {
  assert.equal(files.length, 48);
  assert.equal(suiteTotal, 1138);
  assert.equal(suitePassed, 1138);
});
