// compileLogic(rule).apply(data) writes into the module only the top-level
// members a rule reads, when the core says it reads nothing else
// (LogicSession::data_names). These cases show that the result is what the
// whole record written by JSON.stringify would give, whatever the record is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importWrapper } from './support.mjs';

const { compileLogic, InputError } = await importWrapper();

async function withRule(rule, use) {
  const compiled = await compileLogic(rule);
  try {
    return await use(compiled);
  } finally {
    compiled.dispose();
  }
}

test('a rule on some members of a record gives what the whole record gives', async () => {
  await withRule({ and: [{ '>=': [{ var: 'wbc' }, 2.5] }, { '==': [{ var: 'lab.unit' }, 'g/L'] }] }, (rule) => {
    const record = { age: 40, wbc: 3.1, lab: { unit: 'g/L', value: 82 }, notes: 'x'.repeat(10_000) };
    assert.equal(rule.apply(record), true);
    assert.equal(rule.apply({ ...record, wbc: 2.4 }), false);
    assert.equal(rule.apply({ ...record, lab: { unit: 'mmol/L' } }), false);
    assert.equal(rule.apply(Object.assign(Object.create(null), record)), true, 'an object with no prototype');
    assert.equal(rule.apply({ lab: { unit: 'g/L' } }), false, 'wbc absent: null >= 2.5 is false in plain JsonLogic');
  });
});

test('members JSON.stringify would not write are not read, here as there', async () => {
  await withRule({ var: 'a' }, (rule) => {
    assert.equal(rule.apply({ a: undefined, b: 1 }), null);
    assert.equal(rule.apply({ a: () => 1 }), null);
    assert.equal(rule.apply(Object.create({ a: 5 })), null, 'an inherited member is not written');
    const hidden = {};
    Object.defineProperty(hidden, 'a', { value: 5, enumerable: false });
    assert.equal(rule.apply(hidden), null, 'nor a member that is not enumerable');
  });
  await withRule({ var: '__proto__' }, (rule) => {
    assert.equal(rule.apply(JSON.parse('{"__proto__": 7}')), 7, 'an own member named __proto__');
    assert.equal(rule.apply({}), null, "an object literal's prototype is not a member");
  });
});

test('a record that writes itself another way is written whole', async () => {
  await withRule({ var: 'a' }, (rule) => {
    assert.equal(rule.apply({ a: 1, toJSON: () => ({ a: 2 }) }), 2, 'toJSON decides what the record is');
    class Referral {
      constructor() { this.a = 3; }
      toJSON() { return { a: 4 }; }
    }
    assert.equal(rule.apply(new Referral()), 4);
    assert.equal(rule.apply(new Map([['a', 5]])), null, 'a Map is written as {}');
  });
  await withRule({ var: 1 }, (rule) => {
    assert.equal(rule.apply(['x', 'y']), 'y', 'an array is read by index');
  });
});

test('a member the rule does not read no longer stops it; one it reads still does', async () => {
  await withRule({ '+': [{ var: 'a' }, 1] }, (rule) => {
    assert.equal(rule.apply({ a: 1, big: 10n }), 2);
    assert.throws(() => rule.apply({ a: 10n }), (error) => error instanceof InputError && error.code === 'input.unserialisable');
    const throwing = { get a() { throw new Error('no'); } };
    assert.throws(() => rule.apply(throwing), (error) => error instanceof InputError);
  });
  await withRule({ missing: ['a'] }, (rule) => {
    assert.throws(() => rule.apply({ a: 1, big: 10n }), InputError, 'missing may look at any member: the record is written whole');
    assert.deepEqual(rule.apply({ b: 1 }), ['a']);
  });
});
