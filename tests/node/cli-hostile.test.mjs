// Hostile files and arguments against the native command line: every case
// ends in a documented exit code (docs/errors.md) with a stable id or a
// one-line message, never a crash or a stack trace.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRepoFile, repoRoot } from './support.mjs';

const cli = process.env.TRIALSCREEN_CLI ?? `${repoRoot}build/native-release/bin/trialscreen`;
const bh002 = `${repoRoot}examples/bh002/trial.json`;
let dir;
before(() => { dir = mkdtempSync(join(tmpdir(), 'trialscreen-hostile-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name, contents) {
  const path = join(dir, name);
  writeFileSync(path, contents);
  return path;
}

function run(...args) {
  const { status, signal, stdout, stderr } = spawnSync(cli, args, { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20 });
  assert.equal(signal, null, `trialscreen ${args.join(' ')} was killed by ${signal}`);
  assert.doesNotMatch(stderr, /terminate called|Aborted|Segmentation|internal error|#\d+ 0x/, 'no crash, no stack trace');
  return { status, stdout, stderr };
}

const deep = (n) => '['.repeat(n) + ']'.repeat(n);
const hostileFiles = () => ({
  empty: ['', 'trial.json.001'],
  truncated: [readRepoFile('examples/bh002/trial.json').slice(0, 5000), 'trial.json.001'],
  binary: [Buffer.from([0, 0xff, 0xfe, 0x89, 0x50, 0x4e, 0x47]), 'trial.json.001'],
  'only a BOM': [Buffer.from([0xef, 0xbb, 0xbf]), 'trial.json.001'],
  '100,000 deep': [deep(100000), 'trial.json.002'],
  '10 MB': [JSON.stringify({ title: 'x'.repeat(10_000_000) }), 'trial.schema.001'],
  'an array': ['[]', 'trial.schema.002'],
  'type-confused': [JSON.stringify({ ...JSON.parse(readRepoFile('examples/bh002/trial.json')), questions: {} }), 'trial.schema.103'],
});

test('lint: hostile trial files exit 1 with one ID<TAB>POINTER<TAB>message line per problem', () => {
  for (const [what, [contents, code]] of Object.entries(hostileFiles())) {
    const { status, stdout } = run('lint', file('trial.json', contents));
    assert.equal(status, 1, what);
    const first = stdout.split('\n')[0].split('\t');
    assert.equal(first[0], code, `${what}: ${stdout.slice(0, 200)}`);
    assert.ok(first[1] === '' || first[1].startsWith('/'), `${what}: a JSON pointer`);
  }
});

test('check: a hostile trial file exits 2 with one line naming the first problem', () => {
  const answers = file('answers.json', '{"age": 45}');
  for (const [what, [contents, code]] of Object.entries(hostileFiles())) {
    const { status, stdout, stderr } = run('check', '--trial', file('trial.json', contents), '--answers', answers, '--as-of', '2026-11-25');
    assert.equal(status, 2, what);
    assert.equal(stdout, '', what);
    assert.equal(stderr.trim().split('\n').length, 1, `${what}: one line: ${stderr.slice(0, 300)}`);
    assert.ok(stderr.includes(`[${code}]`), `${what}: ${stderr.slice(0, 200)}`);
  }
});

test('check: hostile answer files exit 2 with one line; a BOM is accepted', () => {
  const cases = {
    empty: ['', 'json.001'],
    truncated: ['{"age": 4', 'json.001'],
    binary: [Buffer.from([0, 0xff, 0x01]), 'json.001'],
    '100,000 deep': [deep(100000), 'json.002'],
    'an array': ['[{"age": 45}]', null],
  };
  for (const [what, [contents, code]] of Object.entries(cases)) {
    const { status, stderr } = run('check', '--trial', bh002, '--answers', file('answers.json', contents), '--as-of', '2026-11-25');
    assert.equal(status, 2, what);
    assert.equal(stderr.trim().split('\n').length, 1, what);
    if (code) assert.ok(stderr.includes(`[${code}]`), `${what}: ${stderr}`);
  }
  const withBom = run('check', '--trial', bh002, '--answers', file('answers.json', '\ufeff{"age": 17}'), '--as-of', '2026-11-25');
  assert.equal(withBom.status, 0, withBom.stderr);
  assert.equal(JSON.parse(withBom.stdout).criteria.find((c) => c.id === 'I01').status, 'fail');
});

test('check: huge and type-confused answers are answer errors in a normal result', () => {
  const answers = file('answers.json', JSON.stringify({ age: '7'.repeat(10_000_000), hemoglobin: new Array(1_000_000).fill(0), sex: { value: 1 } }));
  const { status, stdout } = run('check', '--trial', bh002, '--answers', answers, '--as-of', '2026-11-25');
  assert.equal(status, 0);
  const result = JSON.parse(stdout);
  assert.deepEqual(result.answerErrors.map((e) => `${e.field}:${e.code}`), ['age:type', 'hemoglobin:type', 'sex:type']);
  assert.ok(stdout.length < 200_000, 'the huge values are not echoed');
});

test('unreadable paths, directories and bad usage exit 2 with one line', () => {
  for (const args of [
    ['lint', join(dir, 'missing.json')],
    ['lint', dir],
    ['check', '--trial', dir, '--answers', dir],
    ['check', '--trial', bh002, '--answers', dir, '--as-of', '2026-11-25'],
    ['check', '--trial', bh002],
    ['check', '--trial', bh002, '--answers', file('a.json', '{}'), '--as-of', '2026-02-30'],
    ['frobnicate'],
  ]) {
    const { status, stderr } = run(...args);
    assert.equal(status, 2, args.join(' '));
    assert.match(stderr, /^trialscreen: /, args.join(' '));
  }
});

test('logic: hostile rules exit 1 with an error object carrying the id and pointer', () => {
  for (const [rule, id, path] of [
    ['', 'json.001', ''],
    ['\u00ff', 'json.001', ''],
    [deep(20000), 'json.002', ''],
    ['{"and": [true, {"=>": [1, 2]}]}', 'rule.104', '/and/1'],
    ['{"var": {}}', 'rule.108', '/var'],
  ]) {
    const { status, stdout } = run('logic', rule, '{}');
    assert.equal(status, 1, rule.slice(0, 40));
    const { error } = JSON.parse(stdout);
    assert.equal(error.id, id, rule.slice(0, 40));
    assert.equal(error.path, path, rule.slice(0, 40));
  }
});
