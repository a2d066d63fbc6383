// One corpus, two runtimes: every BH002 scenario through the WebAssembly
// build's loadScreener(...).evaluate(...), held to the same expectations as
// the native GoogleTest runner, and the whole result compared with the native
// `trialscreen check` output for the same scenario: both must agree exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { matchExpected } from './fixture-match.mjs';
import { distDir, importWrapper, readRepoFile, repoRoot, withBrowsersWrapper } from './support.mjs';

const fixturesDir = `${repoRoot}tests/fixtures/bh002/`;
const trialPath = `${repoRoot}examples/bh002/trial.json`;
const cli = process.env.TRIALSCREEN_CLI ?? `${repoRoot}build/native-release/bin/trialscreen`;

const { loadScreener } = await importWrapper();
const screener = await loadScreener(readRepoFile('examples/bh002/trial.json'));
const scenarios = readdirSync(fixturesDir).filter((name) => name.endsWith('.json')).sort();

test('the corpus holds at least 60 scenarios', () => {
  assert.ok(scenarios.length >= 60, `${scenarios.length} scenarios`);
});

for (const name of scenarios) {
  const scenario = JSON.parse(readFileSync(fixturesDir + name, 'utf8'));
  const options = { asOf: scenario.asOf, audience: scenario.audience ?? 'physician', lang: scenario.lang ?? 'en' };
  test(`${name}: ${scenario.description}`, () => {
    const result = screener.evaluate(scenario.answers ?? {}, options);
    assert.deepEqual(matchExpected(scenario.expect, result), [], JSON.stringify(result));

    assert.ok(existsSync(cli), `the native CLI is built (${cli}): run scripts/build native`);
    const native = execFileSync(cli, [
      'check', '--trial', trialPath, '--answers', '-', '--as-of', options.asOf,
      '--audience', options.audience, '--lang', options.lang,
    ], { input: JSON.stringify(scenario.answers ?? {}), encoding: 'utf8' });
    assert.deepEqual(result, JSON.parse(native), 'WebAssembly and native results agree exactly');
  });
}

// The widget screens the form again after every answer, and a session keeps
// rule outcomes between screenings (logic::OutcomeMemo) and hands its result
// out as a view of the module's memory (screenView). Answers given one at a
// time, with a second screener working in between, must give at every step
// exactly what the native CLI gives for that step alone.
test('a form filled in one answer at a time agrees with the native CLI at every step, with another screener in between', async () => {
  const withMost = scenarios.map((name) => JSON.parse(readFileSync(fixturesDir + name, 'utf8')))
    .sort((a, b) => Object.keys(b.answers ?? {}).length - Object.keys(a.answers ?? {}).length);
  const [filled, other] = withMost;
  const options = { asOf: filled.asOf, audience: 'patient', lang: 'zh-Hans' };
  const second = await loadScreener(readRepoFile('examples/bh002/trial.json'));
  const otherResult = second.evaluate(other.answers, { asOf: other.asOf });
  const given = {};
  const steps = Object.entries(filled.answers);
  assert.ok(steps.length >= 20, `${steps.length} answers`);
  for (const [field, value] of steps) {
    given[field] = value;
    const result = screener.evaluate(given, options);
    assert.deepEqual(second.evaluate(other.answers, { asOf: other.asOf }), otherResult, 'the other screener is unchanged');
    const native = execFileSync(cli, [
      'check', '--trial', trialPath, '--answers', '-', '--as-of', options.asOf,
      '--audience', options.audience, '--lang', options.lang,
    ], { input: JSON.stringify(given), encoding: 'utf8' });
    assert.deepEqual(result, JSON.parse(native), `after ${field}`);
  }
  // Starting over (the widget's reset) forgets the kept outcomes; results stay the same.
  const last = screener.evaluate(given, options);
  screener.forget();
  assert.deepEqual(screener.evaluate(given, options), last);
  second.dispose();
});

// The core sends each criterion object once and then names it by number
// (TrialSession::screen_numbered), so a screener hands out the same object
// again while a criterion reads the same. A result the caller keeps must
// never change after that: the objects are frozen, and later screenings,
// forget() included, leave earlier results as they were.
test('a result kept by the caller stays as it was: its criteria are frozen and shared only while unchanged', async () => {
  const own = await loadScreener(readRepoFile('examples/bh002/trial.json'));
  const options = { asOf: '2026-11-25', audience: 'physician', lang: 'en' };
  const adult = own.evaluate({ age: 45 }, options);
  const adultText = JSON.stringify(adult);
  const minor = own.evaluate({ age: 17 }, options);
  const byId = (result, id) => result.criteria.find((c) => c.id === id);
  assert.notEqual(byId(minor, 'I01'), byId(adult, 'I01'));
  assert.equal(byId(minor, 'I01').status, 'fail');
  assert.equal(byId(minor, 'I05'), byId(adult, 'I05'), 'an unchanged criterion is the same object');
  for (const criterion of minor.criteria) {
    assert.ok(Object.isFrozen(criterion), criterion.id);
    if (criterion.waitingOn) assert.ok(Object.isFrozen(criterion.waitingOn), criterion.id);
  }
  assert.throws(() => { byId(minor, 'I05').status = 'pass'; }, TypeError);
  assert.throws(() => { byId(minor, 'I05').waitingOn.push('age'); }, TypeError);
  own.forget();
  const again = own.evaluate({ age: 45 }, options);
  assert.equal(JSON.stringify(again), adultText);
  assert.equal(JSON.stringify(adult), adultText, 'the earlier result is unchanged');
  // The result's own members are the caller's to change.
  again.next.push('mine');
  assert.deepEqual(own.evaluate({ age: 45 }, options).next, JSON.parse(adultText).next);
  own.dispose();
});

// Node loads the module built for speed (dist/node, -O2); browsers load the
// one built for size (dist/, -Oz). Same sources, so the same results: every
// scenario through both, the browsers' one reached the way a copy of the
// wrapper without node/ beside it reaches it.
test('the browsers\' module and Node\'s give the same result for every scenario', async () => {
  assert.ok(existsSync(`${distDir}node/trialscreen-core.wasm`), 'the Node module is built (scripts/build wasm)');
  await withBrowsersWrapper(async (web) => {
    const forWeb = await web.loadScreener(readRepoFile('examples/bh002/trial.json'));
    const forNode = await loadScreener(readRepoFile('examples/bh002/trial.json'));
    for (const name of scenarios) {
      const scenario = JSON.parse(readFileSync(fixturesDir + name, 'utf8'));
      for (const audience of ['patient', 'physician']) {
        const options = { asOf: scenario.asOf, audience, lang: scenario.lang ?? 'en' };
        assert.deepEqual(forWeb.evaluate(scenario.answers ?? {}, options),
          forNode.evaluate(scenario.answers ?? {}, options), `${name}, ${audience}`);
      }
    }
    forWeb.dispose();
    forNode.dispose();
  });
});
