// `trialscreen batch` as a site runs it: stdin to stdout, exit codes, progress
// on stderr, and results identical to `trialscreen check` for the same answers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './support.mjs';

const cli = process.env.TRIALSCREEN_CLI ?? `${repoRoot}build/native-release/bin/trialscreen`;
const bh002 = `${repoRoot}examples/bh002/trial.json`;
const AS_OF = '2026-11-25';
let dir;
before(() => { dir = mkdtempSync(join(tmpdir(), 'trialscreen-batch-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

function run(args, input = '') {
  const { status, signal, stdout, stderr } = spawnSync(cli, args, { input, encoding: 'utf8', timeout: 60_000 });
  assert.equal(signal, null, `trialscreen ${args.join(' ')} was killed by ${signal}`);
  return { status, stdout, stderr };
}

const batch = (input, ...extra) => run(['batch', '--trial', bh002, '--as-of', AS_OF, ...extra], input);
const rows = (stdout) => stdout.trim().split('\n').map((line) => JSON.parse(line));

function check(answers) {
  const path = join(dir, 'answers.json');
  writeFileSync(path, JSON.stringify(answers));
  const { status, stdout } = run(['check', '--trial', bh002, '--answers', path, '--as-of', AS_OF]);
  assert.equal(status, 0);
  return JSON.parse(stdout);
}

test('JSON Lines: one result per record, as check gives it, plus record and id', () => {
  const people = [
    { id: 'R1', age: 45, sex: 'female', hemoglobin: { value: 8.5, unit: 'g/dL' }, hemodialysis: false },
    { age: 95 },
  ];
  const { status, stdout, stderr } = batch(people.map((p) => JSON.stringify(p)).join('\n'));
  assert.equal(status, 0);
  const [first, second] = rows(stdout);
  const { id, ...answers } = people[0];
  assert.deepEqual(first, { ...check(answers), record: 1, id });
  assert.deepEqual(second, { ...check(people[1]), record: 2 });
  assert.match(stderr, /done, 2 records \(0 error rows\)/);
});

test('a malformed record is an error row and the run goes on (exit 0)', () => {
  const { status, stdout } = batch('{"age": 45}\n{"age": 4\n"just text"\n{"age": 50}\n');
  assert.equal(status, 0);
  const out = rows(stdout);
  assert.equal(out.length, 4);
  assert.equal(out[1].record, 2);
  assert.equal(out[1].error.code, 'record.json');
  assert.equal(out[2].error.code, 'record.type');
  assert.equal(out[3].record, 4);
  assert.equal(out[3].criteria.find((c) => c.id === 'I01').status, 'pass');
});

test('CSV in (units in the header or the cell), CSV out with a status per criterion', () => {
  const csv = 'id,age,sex,hemoglobin[g/dL],hemodialysis\r\nA,45,female,8.5,no\r\nB,45,female,"80 g/L",\r\n';
  const { status, stdout, stderr } = batch(csv, '--output', 'csv', '--quiet');
  assert.equal(status, 0);
  assert.equal(stderr, '', '--quiet prints nothing');
  const [header, a, b] = stdout.trim().split('\r\n').map((line) => line.split(','));
  const ids = check({}).criteria.map((c) => c.id);
  assert.deepEqual(header, ['record', 'id', 'verdict', ...ids, 'answer_errors', 'error']);
  const expectedA = check({ age: 45, sex: 'female', hemoglobin: { value: 8.5, unit: 'g/dL' }, hemodialysis: false });
  assert.deepEqual(a, ['1', 'A', expectedA.verdict, ...expectedA.criteria.map((c) => c.status), '', '']);
  const expectedB = check({ age: 45, sex: 'female', hemoglobin: { value: 80, unit: 'g/L' } });
  assert.deepEqual(b, ['2', 'B', expectedB.verdict, ...expectedB.criteria.map((c) => c.status), '', '']);
  assert.equal(a[ids.indexOf('I05') + 3], 'pass', '8.5 g/dL is 85 g/L');
  assert.equal(b[ids.indexOf('I05') + 3], 'fail');
});

test('bad usage, an invalid trial or an unreadable CSV header: one line on stderr, exit 2', () => {
  const broken = join(dir, 'broken.json');
  writeFileSync(broken, '{"format": "trialscreen/trial@1"}');
  const cases = [
    run(['batch']),
    run(['batch', '--trial', bh002, '--bogus', 'x']),
    run(['batch', '--trial', bh002, '--format', 'xml']),
    run(['batch', '--trial', bh002, '--as-of', '2026-02-30']),
    run(['batch', '--trial', bh002, '--lang', 'fr']),
    run(['batch', '--trial', broken], '{}\n'),
    run(['batch', '--trial', join(dir, 'missing.json')], '{}\n'),
    batch('id,hemoglobn\nA,85\n'),
    batch('hemoglobin[mmol/L]\n5\n'),
  ];
  for (const { status, stdout, stderr } of cases) {
    assert.equal(status, 2, stderr);
    assert.equal(stdout, '');
    assert.equal(stderr.trim().split('\n').length, 1, stderr);
    assert.match(stderr, /^trialscreen: /);
  }
});
