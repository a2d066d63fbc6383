// The thinnest slice through the WebAssembly build: I01 (age 18 to 90
// inclusive) decided by the core, reached through Embind and the wrapper.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importWrapper, readRepoFile } from './support.mjs';

const { loadScreener } = await importWrapper();
const screener = await loadScreener(readRepoFile('examples/bh002/trial.json'));
const i01 = (answers) => screener.evaluate(answers, { asOf: '2026-11-25' }).criteria.find((c) => c.id === 'I01');

test('I01 passes at both ends of 18 to 90 inclusive', () => {
  for (const age of [18, 45, 90]) assert.equal(i01({ age }).status, 'pass', `age ${age}`);
});

test('I01 fails outside 18 to 90', () => {
  for (const age of [17, 91]) assert.equal(i01({ age }).status, 'fail', `age ${age}`);
});

test('an unanswered age is unknown and waits on age, never a failure', () => {
  for (const answers of [{}, { age: null }]) {
    const criterion = i01(answers);
    assert.equal(criterion.status, 'unknown');
    assert.deepEqual(criterion.waitingOn, ['age']);
  }
});
