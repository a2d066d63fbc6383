// Hostile input against the WebAssembly build: empty, truncated, binary,
// BOM-prefixed, 100,000-deep, huge and type-confused trial files, answers,
// options and rules. Each must end in a TrialError / LogicError / InputError
// with a stable code and a JSON pointer (docs/errors.md) or in a normal
// result. The module has C++ exceptions switched off, so anything that throws
// inside the core would abort it for good: after every hostile case a valid
// evaluation must still work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importWrapper, readRepoFile } from './support.mjs';

const { loadScreener, compileLogic, TrialError, LogicError, InputError } = await importWrapper();
const bh002Text = readRepoFile('examples/bh002/trial.json');
const screener = await loadScreener(bh002Text);
const asOf = '2026-11-25';

const deep = (n) => '['.repeat(n) + ']'.repeat(n);
const longArray = (n) => `[${new Array(n).fill(0).join(',')}]`;
const i01 = (result) => result.criteria.find((c) => c.id === 'I01');

// The module still screens and compiles after whatever came before; `fully`
// also creates new handles (once per test: loading BH002 costs ~100 ms).
async function assertStillWorks(what, { fully = false } = {}) {
  assert.equal(i01(screener.evaluate({ age: 45 }, { asOf })).status, 'pass', `screening after ${what}`);
  if (!fully) return;
  const fresh = await loadScreener(bh002Text);
  try {
    assert.equal(i01(fresh.evaluate({ age: 17 }, { asOf })).status, 'fail', `a new screener after ${what}`);
  } finally {
    fresh.dispose();
  }
  const rule = await compileLogic({ '+': [1, 2] });
  try {
    assert.equal(rule.apply(), 3, `a rule after ${what}`);
  } finally {
    rule.dispose();
  }
}

// Runs `action`, which must throw an instance of `ErrorClass` with `code`.
async function assertCode(what, action, ErrorClass, code, path = undefined) {
  await assert.rejects(
    async () => action(),
    (error) => {
      assert.ok(error instanceof ErrorClass, `${what}: expected ${ErrorClass.name}, got ${error?.name}: ${error?.message}`);
      assert.equal(error.code, code, `${what}: ${error.message}`);
      assert.equal(typeof error.path, 'string', what);
      assert.ok(error.path === '' || error.path.startsWith('/'), `${what}: path ${error.path}`);
      if (path !== undefined) assert.equal(error.path, path, what);
      return true;
    },
  );
  await assertStillWorks(what);
}

test('broken trial files are TrialErrors with a code and a pointer, and the module keeps working', async () => {
  const cases = [
    ['an empty file', '', 'trial.json.001'],
    ['half of BH002', bh002Text.slice(0, bh002Text.length / 2), 'trial.json.001'],
    ['binary bytes', '\u0000\u00ff\u0001\ufffd{', 'trial.json.001'],
    ['100,000-deep arrays', deep(100000), 'trial.json.002'],
    ['a 10 MB file', JSON.stringify({ title: 'x'.repeat(10_000_000) }), 'trial.schema.001'],
    ['an array', '[]', 'trial.schema.002'],
    ['questions as an object', JSON.stringify({ ...JSON.parse(bh002Text), questions: {} }), 'trial.schema.103', '/questions'],
  ];
  for (const [what, text, code, path] of cases) {
    await assertCode(what, () => loadScreener(text), TrialError, code, path);
  }
  await assertStillWorks('broken trial files', { fully: true });
});

test('a million questions is a limit error at /questions', async () => {
  await assert.rejects(
    () => loadScreener(`{"format": "trialscreen/trial@1", "questions": ${longArray(1_000_000)}}`),
    (error) => error instanceof TrialError && error.errors.some((e) => e.code === 'trial.schema.107' && e.path === '/questions'),
  );
  await assertStillWorks('a million questions', { fully: true });
});

test('type-confused members of BH002 are TrialErrors, never a crash', async () => {
  const bh002 = JSON.parse(bh002Text);
  const wrongValues = [null, true, 3.5, 'text', [], {}, [1, 'a']];
  for (const key of ['id', 'title', 'languages', 'sections', 'questions', 'criteria', 'derived', 'warnings']) {
    for (const wrong of wrongValues) {
      let loaded = null;
      try {
        loaded = await loadScreener({ ...bh002, [key]: wrong });
      } catch (error) {
        assert.ok(error instanceof TrialError, `${key} = ${JSON.stringify(wrong)}: ${error.name} ${error.message}`);
        assert.match(error.code, /^trial\./);
      } finally {
        loaded?.dispose();
      }
    }
  }
  await assertStillWorks('type-confused trials');
});

test('a UTF-8 byte order mark before a trial is accepted', async () => {
  const withBom = await loadScreener(`\ufeff${bh002Text}`);
  try {
    assert.equal(i01(withBom.evaluate({ age: 90 }, { asOf })).status, 'pass');
  } finally {
    withBom.dispose();
  }
});

test('unreadable answers and options are InputErrors, and the module keeps working', async () => {
  const cases = [
    ['empty answers', () => screener.evaluate('', { asOf }), 'answers.json.001'],
    ['truncated answers', () => screener.evaluate('{"age": 4', { asOf }), 'answers.json.001'],
    ['binary answers', () => screener.evaluate('\u0000\u0001\u00ff', { asOf }), 'answers.json.001'],
    ['100,000-deep answers', () => screener.evaluate(deep(100000), { asOf }), 'answers.json.002'],
    ['answers as an array', () => screener.evaluate([{ age: 45 }], { asOf }), 'answers.type'],
    ['answers as a number', () => screener.evaluate(5, { asOf }), 'answers.type'],
  ];
  for (const [what, action, code] of cases) await assertCode(what, action, InputError, code, '');
  await assertStillWorks('unreadable answers', { fully: true });
});

test('a BOM before answers text is accepted', () => {
  assert.equal(i01(screener.evaluate('\ufeff{"age": 17}', { asOf })).status, 'fail');
});

test('huge answers are answer errors, not huge results, and the module keeps working', async () => {
  const result = screener.evaluate({ age: '7'.repeat(10_000_000), hemoglobin: new Array(1_000_000).fill(0) }, { asOf });
  assert.deepEqual(result.answerErrors.map((e) => [e.field, e.code]), [['age', 'type'], ['hemoglobin', 'type']]);
  assert.ok(JSON.stringify(result).length < 200_000);
  await assertStillWorks('huge answers', { fully: true });
});

test('every wrong type for every question is an answer error and the other answers still count', async () => {
  const ids = screener.definition.questions.map((q) => q.id);
  const wrongValues = [true, 1.5, -1e308, 'x', '2026-13-45', [1], {}, { value: '8', unit: 5 }, { value: 8, unit: 'furlong' }];
  for (const wrong of wrongValues) {
    const answers = Object.fromEntries(ids.map((id) => [id, wrong]));
    answers.age = 45;
    answers.not_a_question = wrong;
    const result = screener.evaluate(answers, { asOf });
    const fields = new Set(result.answerErrors.map((e) => e.field));
    assert.ok(!fields.has('age'), JSON.stringify(wrong));
    assert.ok(fields.has('not_a_question'), JSON.stringify(wrong));
    assert.equal(i01(result).status, 'pass', JSON.stringify(wrong));
  }
  await assertStillWorks('type-confused answers');
});

test('odd option values still screen', async () => {
  const badDate = screener.evaluate({ age: 45 }, { asOf: '2026-02-30' });
  assert.deepEqual(badDate.answerErrors.map((e) => [e.field, e.code]), [['as_of', 'date']]);
  const longDate = screener.evaluate({}, { asOf: '9'.repeat(1_000_000) });
  assert.deepEqual(longDate.answerErrors.map((e) => e.field), ['as_of']);
  const odd = screener.evaluate({ age: 45 }, { asOf, audience: 'robot', lang: 'tlh' });
  assert.equal(i01(odd).status, 'pass');
  assert.equal(typeof i01(odd).reason, 'string');
  await assertStillWorks('odd options');
});

test('broken rules are LogicErrors with a code and a pointer, and the module keeps working', async () => {
  const cases = [
    ['an empty rule', '', 'json.001'],
    ['a truncated rule', '{"==": [1, ', 'json.001'],
    ['100,000-deep rule', deep(100000), 'json.002'],
    ['a million-element rule', `{"in": [1, ${longArray(1_000_000)}]}`, 'rule.103'],
    ['a path that is an object', '{"var": {}}', 'rule.108', '/var'],
    ['an unknown operator', '{"and": [true, {"=>": [1, 2]}]}', 'rule.104', '/and/1'],
  ];
  for (const [what, text, code, path] of cases) await assertCode(what, () => compileLogic(text), LogicError, code, path);
  await assertStillWorks('broken rules', { fully: true });
});

test('rules over huge data and failing rules stay values', async () => {
  const count = await compileLogic({ reduce: [{ var: 'xs' }, { '+': [{ var: 'accumulator' }, 1] }, 0] });
  const divide = await compileLogic({ '/': [1, { var: 'x' }] });
  try {
    assert.equal(count.apply({ xs: new Array(100_000).fill(0) }), 100_000);
    assert.throws(() => divide.apply({ x: 0 }), (error) => error instanceof LogicError && error.code === 'rule.201');
    assert.equal(divide.apply({ x: 4 }), 0.25);
  } finally {
    count.dispose();
    divide.dispose();
  }
  await assertStillWorks('huge data', { fully: true });
});

test('values JSON cannot carry fail in JavaScript before reaching the module, which keeps working', async () => {
  const circular = {};
  circular.self = circular;
  for (const answers of [circular, { age: 10n }]) {
    assert.throws(() => screener.evaluate(answers, { asOf }), (error) => error instanceof InputError && error.code === 'input.unserialisable');
  }
  await assertStillWorks('values JSON cannot carry');
});

test('a rule at the nesting limit runs within the WebAssembly stack; one level more is refused', async () => {
  const nested = (depth) => {
    let rule = true;
    for (let i = 0; i < depth; i += 1) rule = { '!': rule };
    return JSON.stringify(rule);
  };
  const atLimit = await compileLogic(nested(256));
  try {
    assert.equal(atLimit.apply(), true);
  } finally {
    atLimit.dispose();
  }
  await assertCode('257 levels', () => compileLogic(nested(257)), LogicError, 'json.002');
});
