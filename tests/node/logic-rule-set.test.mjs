// compileRuleSet(rules).apply(data): several rules over one record, the
// record written into the module once. Each rule's entry must be what
// compileLogic(rule).apply(data) gives, or the LogicError it throws, in the
// module built for speed (Node's) and in the browsers' one, which reads the
// rules' names another way (logic::RuleSet).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importWrapper, readRepoFile, withBrowsersWrapper } from './support.mjs';

const wrapper = await importWrapper();
const { compileRuleSet, LogicError, InputError } = wrapper;
const readJson = (path) => JSON.parse(readRepoFile(`tests/conformance/jsonlogic/${path}`));

// Every suite case's rule and data (the legacy cases too).
function suiteCases() {
  const cases = [];
  for (const file of readJson('suites/index.json')) {
    for (const c of readJson(`suites/${file}`)) if (typeof c !== 'string') cases.push({ rule: c.rule, data: c.data ?? null });
  }
  for (const c of readJson('legacy-tests.json')) if (typeof c !== 'string') cases.push({ rule: c[0], data: c[1] });
  return cases;
}

// What a rule gives alone: its value, or its LogicError's fields.
function alone(compiled, data) {
  try {
    return { value: compiled.apply(data) };
  } catch (error) {
    assert.ok(error instanceof Error && error.name === 'LogicError', String(error));
    return { error: { type: error.type, code: error.code, path: error.path, message: error.message, thrown: error.thrown } };
  }
}

function entry(result, ErrorClass) {
  if (result instanceof ErrorClass) {
    return { error: { type: result.type, code: result.code, path: result.path, message: result.message, thrown: result.thrown } };
  }
  return { value: result };
}

// Each case's rule in a set with two others, over the case's data.
async function everyCaseAsAlone(api) {
  const others = [{ var: 'a' }, { '<': [{ var: 'x' }, { var: 'zz' }, 10] }];
  let checked = 0;
  for (const c of suiteCases()) {
    const rules = [c.rule, ...others];
    let singles;
    try {
      singles = await Promise.all(rules.map((rule) => api.compileLogic(JSON.stringify(rule))));
    } catch {
      continue;  // a rule that does not compile: see the compile errors below
    }
    const set = await api.compileRuleSet(rules);
    try {
      const got = set.apply(c.data).map((result) => entry(result, api.LogicError));
      const expected = singles.map((single) => alone(single, c.data));
      assert.deepStrictEqual(got, expected, `${JSON.stringify(c.rule)} over ${JSON.stringify(c.data)}`);
      ++checked;
    } finally {
      set.dispose();
      for (const single of singles) single.dispose();
    }
  }
  return checked;
}

test('every suite case gives, rule by rule, what each rule gives alone (Node\'s module)', async () => {
  assert.ok(await everyCaseAsAlone(wrapper) > 1300);
});

test('every suite case gives, rule by rule, what each rule gives alone (the browsers\' module)', async () => {
  assert.ok(await withBrowsersWrapper(everyCaseAsAlone) > 1300);
});

test('one set over many records: each record is read on its own', async () => {
  const rules = [{ var: 'age' }, { '>=': [{ var: 'wbc' }, 2.5] }, { '!=': [{ var: 'last_dose' }, 'none'] }, { missing: ['age', 'wbc'] }];
  const set = await compileRuleSet(rules);
  const singles = await Promise.all(rules.map((rule) => wrapper.compileLogic(rule)));
  const records = [
    { age: 40, wbc: 3.1, last_dose: '2026-10-01' },
    { wbc: 2 },
    {},
    { age: 'forty', wbc: '3', last_dose: 'none', notes: 'x'.repeat(20_000) },
    { age: 51 },
  ];
  for (const record of records) {
    assert.deepStrictEqual(set.apply(record).map((r) => entry(r, LogicError)), singles.map((s) => alone(s, record)),
      JSON.stringify(record).slice(0, 80));
  }
  // null compared with a text: a LogicError handed back in its place, not thrown.
  const [, , failed] = set.apply({ age: 3 });
  assert.ok(failed instanceof LogicError);
  assert.equal(failed.code, 'rule.201');
  assert.equal(failed.type, 'NaN');
  assert.equal(failed.path, '', 'the place in its own rule, as compileLogic(rule).apply gives it');
  assert.equal(failed.message, 'cannot compare null with "none"');
  set.dispose();
  for (const single of singles) single.dispose();
});

test('a thrown value comes back in its rule\'s place, the others go on', async () => {
  const set = await compileRuleSet('[{"throw": {"var": "why"}}, {"+": [1, 2]}]');
  const [thrown, sum] = set.apply({ why: 'stop' });
  assert.ok(thrown instanceof LogicError);
  assert.equal(thrown.code, 'rule.203');
  assert.equal(thrown.thrown, 'stop');
  assert.equal(sum, 3);
  set.dispose();
});

test('a rule that does not compile is named by its place in the list', async () => {
  await assert.rejects(compileRuleSet([{ var: 'a' }, { '=>': [1, 2] }]),
    (error) => error instanceof LogicError && error.code === 'rule.104' && error.path === '/1' && error.type === 'Unknown Operator');
  await assert.rejects(compileRuleSet([{ var: 'a' }, { if: 5 }]),
    (error) => error instanceof LogicError && error.code === 'rule.105' && error.path === '/1/if');
  await assert.rejects(compileRuleSet({ var: 'a' }),
    (error) => error instanceof LogicError && error.code === 'rule.112' && error.path === '');
  await assert.rejects(compileRuleSet('[{"var": "a"}'), (error) => error instanceof LogicError && error.code === 'json.001');
});

test('data that cannot be written, and a disposed set, are errors of their own', async () => {
  const set = await compileRuleSet([{ var: 'a' }]);
  const cyclic = { b: 1 };
  cyclic.self = cyclic;
  assert.throws(() => set.apply({ a: cyclic }), (error) => error instanceof InputError && error.code === 'input.unserialisable');
  assert.deepEqual(set.apply(cyclic), [null], 'a member no rule reads is not written');
  assert.deepEqual(set.apply({ a: 2 }), [2], 'the set still works');
  assert.deepEqual(set.apply(), [null]);
  assert.deepEqual(set.apply([5]), [null]);
  set.dispose();
  set.dispose();
  assert.throws(() => set.apply({ a: 1 }), /disposed/);
});

test('records are written as JSON.stringify writes them', async () => {
  const set = await compileRuleSet([{ var: 'a' }, { var: 'b' }]);
  assert.deepEqual(set.apply({ a: 1, toJSON: () => ({ a: 2, b: 3 }) }), [2, 3]);
  assert.deepEqual(set.apply({ a: undefined, b: () => 1 }), [null, null]);
  assert.deepEqual(set.apply(Object.create({ a: 5 })), [null, null], 'an inherited member is not written');
  assert.deepEqual(set.apply(JSON.parse('{"__proto__": 7, "b": "é"}')), [null, 'é']);
  set.dispose();
});
